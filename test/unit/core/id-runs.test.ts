import { test } from 'node:test';
import assert from 'node:assert/strict';
import { idRuns } from '../../../src/core/id-runs.js';

test('idRuns: consecutive ids become one inclusive run, gaps start a new one', () => {
  assert.deepEqual(idRuns([]), []);
  assert.deepEqual(idRuns([5]), [[5, 5]]);
  assert.deepEqual(idRuns([3, 1, 2, 7]), [
    [1, 3],
    [7, 7],
  ]);
  assert.deepEqual(idRuns([4, 4, 5, 9, 10, 12]), [
    [4, 5],
    [9, 10],
    [12, 12],
  ]);
});
