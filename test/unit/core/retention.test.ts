import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { retentionCutoffs } from '../../../src/core/retention-cutoffs.js';
import { nextPruneStep } from '../../../src/core/next-prune-step.js';
import { addPruneCounts, NO_PRUNED_ROWS } from '../../../src/core/prune-counts.js';
import { checkPruneRequest } from '../../../src/core/check-prune-request.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const DAY = 86_400_000;

describe('retentionCutoffs', () => {
  test('olderThan is now minus the retention days, protectAfter now minus the dedupe window', () => {
    assert.deepEqual(retentionCutoffs({ retentionDays: 30, dedupeWindowHours: 168 }, NOW), {
      olderThan: NOW - 30 * DAY,
      protectAfter: NOW - 7 * DAY,
    });
  });

  test('a retention shorter than the dedupe window keeps both: the window still protects', () => {
    const c = retentionCutoffs({ retentionDays: 1, dedupeWindowHours: 168 }, NOW);
    assert.ok(c !== null && c.protectAfter < c.olderThan);
  });

  test('0 days turns retention off', () => {
    assert.equal(retentionCutoffs({ retentionDays: 0, dedupeWindowHours: 168 }, NOW), null);
  });

  test('a negative or fractional number of days, or a window that is not positive, is refused', () => {
    assert.throws(() => retentionCutoffs({ retentionDays: -1, dedupeWindowHours: 168 }, NOW), RangeError);
    assert.throws(() => retentionCutoffs({ retentionDays: 1.5, dedupeWindowHours: 168 }, NOW), RangeError);
    assert.throws(() => retentionCutoffs({ retentionDays: 30, dedupeWindowHours: 0 }, NOW), RangeError);
  });
});

describe('nextPruneStep', () => {
  const timing = { intervalMs: 300_000, pauseMs: 25, retryMs: 60_000 };

  test('a batch that says where to go on is followed by the next batch after a pause', () => {
    assert.deepEqual(nextPruneStep({ failed: false, next: '42' }, timing), {
      kind: 'batch',
      after: '42',
      delayMs: 25,
    });
  });

  test('the last batch of a run schedules the next run an interval later', () => {
    assert.deepEqual(nextPruneStep({ failed: false, next: null }, timing), { kind: 'run', delayMs: 300_000 });
  });

  test('a failed batch ends the run and retries a whole run sooner, never later than the interval', () => {
    assert.deepEqual(nextPruneStep({ failed: true }, timing), { kind: 'run', delayMs: 60_000 });
    assert.deepEqual(nextPruneStep({ failed: true }, { ...timing, intervalMs: 1000 }), {
      kind: 'run',
      delayMs: 1000,
    });
  });
});

describe('prune counts and requests', () => {
  test('counts add up per table', () => {
    const one = { deliveries: 1, events: 3, outbox: 2 };
    assert.deepEqual(addPruneCounts(addPruneCounts(NO_PRUNED_ROWS, one), one), {
      deliveries: 2,
      events: 6,
      outbox: 4,
    });
  });

  test('a request with a bad batch size, time or cursor is refused, naming what is wrong', () => {
    const ok = { olderThan: NOW - 30 * DAY, protectAfter: NOW - 7 * DAY, batchSize: 100, dryRun: false };
    assert.doesNotThrow(() => checkPruneRequest({ ...ok, after: '17' }));
    assert.throws(() => checkPruneRequest({ ...ok, batchSize: 0 }), /batchSize/);
    assert.throws(() => checkPruneRequest({ ...ok, batchSize: 2.5 }), /batchSize/);
    assert.throws(() => checkPruneRequest({ ...ok, olderThan: Number.POSITIVE_INFINITY }), /olderThan/);
    assert.throws(() => checkPruneRequest({ ...ok, after: '0' }), /after/);
    assert.throws(() => checkPruneRequest({ ...ok, after: '1 OR 1=1' }), /after/);
  });
});
