import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createIds } from '../../src/simulator/ids.js';

describe('seeded ids', () => {
  it('repeat exactly for the same seed', () => {
    const a = createIds(42);
    const b = createIds(42);
    for (let i = 0; i < 50; i++) assert.equal(a.wamid('447700900123'), b.wamid('447700900123'));
  });

  it('differ for another seed', () => {
    assert.notEqual(createIds(1).wamid('447700900123'), createIds(2).wamid('447700900123'));
  });

  it('look like Meta ids: wamid., BSUID, parent BSUID, wacid.', () => {
    const ids = createIds(7);
    const wamid = ids.wamid('447700900123');
    assert.match(wamid, /^wamid\.[A-Za-z0-9+/]+=*$/);
    assert.ok(Buffer.from(wamid.slice(6), 'base64').includes('447700900123'), 'wamid encodes the recipient');
    assert.match(ids.bsuid('GB'), /^GB\.[1-9]\d{18}$/);
    assert.match(ids.parentBsuid('GB'), /^GB\.ENT\.[1-9]\d{18}$/);
    assert.match(ids.wacid(), /^wacid\./);
    assert.equal(Buffer.from(ids.sha256Base64(), 'base64').length, 32);
  });

  it('keep numbers in range and digit strings at their length', () => {
    const ids = createIds(3);
    for (let i = 0; i < 200; i++) {
      const n = ids.int(5, 9);
      assert.ok(n >= 5 && n <= 9);
      assert.match(ids.digits(15), /^[1-9]\d{14}$/);
    }
  });
});
