import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { RecentHashes } from '../../src/core/recent-hashes.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const DAY = 24 * 3600 * 1000;
const T = 20_000 * DAY; // a generation boundary

describe('RecentHashes', () => {
  test('finds the id a hash was added with, and nothing for a hash never added', () => {
    const r = new RecentHashes(7 * DAY);
    r.add(sha('a'), 1, T);
    r.add(sha('b'), 2, T + 1);
    assert.deepEqual(r.candidates(sha('a')), [1]);
    assert.deepEqual(r.candidates(sha('b')), [2]);
    assert.deepEqual(r.candidates(sha('c')), []);
  });

  test('keeps every id whose hash starts the same (the caller confirms against the full hash)', () => {
    const r = new RecentHashes(DAY);
    const h1 = 'abcdef012345' + '0'.repeat(52);
    const h2 = 'abcdef012345' + 'f'.repeat(52);
    r.add(h1, 10, T);
    r.add(h2, 11, T);
    assert.deepEqual(r.candidates(h1).sort(), [10, 11]);
  });

  test('still finds all of 100,000 hashes after the table has grown many times', () => {
    const r = new RecentHashes(DAY);
    for (let i = 1; i <= 100_000; i++) r.add(sha(String(i)), i, T);
    assert.equal(r.size, 100_000);
    for (let i = 1; i <= 100_000; i += 997) assert.ok(r.candidates(sha(String(i))).includes(i), `hash ${i}`);
    assert.deepEqual(r.candidates(sha('none')), []);
  });

  test('remembers a hash for at least one window and forgets it after two', () => {
    const r = new RecentHashes(DAY);
    r.add(sha('old'), 1, T + 1);
    r.add(sha('next-day'), 2, T + DAY + DAY - 1); // one window later: both kept
    assert.deepEqual(r.candidates(sha('old')), [1]);
    r.add(sha('two-days'), 3, T + 2 * DAY + 5); // the generation of 'old' is now two back
    assert.deepEqual(r.candidates(sha('old')), []);
    assert.deepEqual(r.candidates(sha('next-day')), [2]);
    assert.equal(r.horizon(T + 2 * DAY + 5), T + DAY);
  });

  test('rejects ids below 1, a window that is not positive and a key that is not hex', () => {
    assert.throws(() => new RecentHashes(0), RangeError);
    const r = new RecentHashes(DAY);
    assert.throws(() => r.add(sha('a'), 0, T), RangeError);
    assert.throws(() => r.add('zz', 1, T), RangeError);
    assert.throws(() => r.add('abcdef01234', 1, T), RangeError);
    assert.throws(() => r.add('ABCDEF012345' + '0'.repeat(52), 1, T), RangeError);
    assert.throws(() => r.candidates('abcdef01234g' + '0'.repeat(52)), RangeError);
  });

  test('keys a hash by its first 12 hex digits, whatever follows them', () => {
    const r = new RecentHashes(DAY);
    r.add('0123456789ab' + 'f'.repeat(52), 1, T);
    r.add('ffffffffffff' + '0'.repeat(52), 2, T);
    assert.deepEqual(r.candidates('0123456789ab' + '0'.repeat(52)), [1]);
    assert.deepEqual(r.candidates('ffffffffffff' + 'e'.repeat(52)), [2]);
    assert.deepEqual(r.candidates('0123456789aa' + 'f'.repeat(52)), []);
  });
});
