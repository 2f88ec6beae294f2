import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { maxStatus, statusRank } from '../../../src/core/status-rank.js';

describe('statusRank', () => {
  test('orders sent < delivered < read < played and keeps failed and unknown off the scale', () => {
    assert.deepEqual(
      ['sent', 'delivered', 'read', 'played', 'failed', 'deleted', 'toString'].map(statusRank),
      [1, 2, 3, 4, null, null, null],
    );
  });

  test('maxStatus never downgrades, and applying statuses in any order gives the same result', () => {
    assert.equal(maxStatus('read', 'delivered'), 'read');
    assert.equal(maxStatus('delivered', 'failed'), 'delivered');
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('sent', 'delivered', 'read', 'played', 'failed'), { minLength: 1 }),
        (xs) => {
          const fwd = xs.reduce((a, b) => maxStatus(a, b));
          const rev = [...xs].reverse().reduce((a, b) => maxStatus(a, b));
          assert.equal(statusRank(fwd), statusRank(rev));
        },
      ),
    );
  });
});
