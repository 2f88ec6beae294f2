import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StorageError } from '../../src/storage-error.js';
import { classify, isTransient } from '../../src/adapters/postgres/storage-error.js';

describe('PostgreSQL errors: a storage fault (retry later) or a fault of the batch', () => {
  test('connection loss, timeouts and transient SQLSTATEs are storage faults', () => {
    const faults = [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      new Error('Connection terminated unexpectedly'),
      new Error('Query read timeout'),
      Object.assign(new Error('canceling statement due to lock timeout'), { code: '55P03' }),
      Object.assign(new Error('deadlock detected'), { code: '40P01' }),
    ];
    for (const err of faults) {
      assert.equal(isTransient(err), true, err.message);
      assert.ok(classify('commit failed', err) instanceof StorageError, err.message);
    }
  });

  test("data errors and JavaScript's own errors (a value nested too deep to serialize, a bug) are not retried as storage faults, which would retry the whole batch for ever", () => {
    const dataFaults = [
      Object.assign(new Error('value too long'), { code: '22001' }),
      new RangeError('Maximum call stack size exceeded'),
      new TypeError("Cannot read properties of undefined (reading 'p')"),
    ];
    for (const err of dataFaults) {
      assert.equal(isTransient(err), false, err.message);
      assert.equal(classify('commit failed', err), err, err.message);
    }
  });
});
