import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_DESTINATION_SCHEDULE_MS,
  nextDestinationAttempt,
  parseSchedule,
} from '../../../../src/core/destinations/destination-schedule.js';
import { TokenBucket } from '../../../../src/core/destinations/token-bucket.js';

describe('destination retry schedule', () => {
  test('the default: at once, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, then a dead letter', () => {
    assert.deepEqual(parseSchedule('0,5s,5m,30m,2h,5h,10h,10h'), DEFAULT_DESTINATION_SCHEDULE_MS);
    const delays = [1, 2, 3, 4, 5, 6, 7].map((n) =>
      nextDestinationAttempt(DEFAULT_DESTINATION_SCHEDULE_MS, n),
    );
    assert.deepEqual(
      delays.map((d) => (d.kind === 'retry' ? d.delayMs : -1)),
      DEFAULT_DESTINATION_SCHEDULE_MS.slice(1),
    );
    assert.deepEqual(nextDestinationAttempt(DEFAULT_DESTINATION_SCHEDULE_MS, 8), { kind: 'dead' });
  });

  test('Retry-After replaces the delay, capped at the next step of the schedule', () => {
    const s = [0, 10_000, 3_600_000, 7_200_000];
    assert.deepEqual(nextDestinationAttempt(s, 1, 60_000), { kind: 'retry', delayMs: 60_000 });
    assert.deepEqual(
      nextDestinationAttempt(s, 1, 2_000),
      { kind: 'retry', delayMs: 2_000 },
      'sooner when asked',
    );
    assert.deepEqual(nextDestinationAttempt(s, 1, 1e9), { kind: 'retry', delayMs: 3_600_000 });
    assert.deepEqual(
      nextDestinationAttempt(s, 3, 1e9),
      { kind: 'retry', delayMs: 7_200_000 },
      'the last step caps itself',
    );
    assert.deepEqual(nextDestinationAttempt(s, 4, 1), { kind: 'dead' });
  });

  test('a bad schedule names the bad step', () => {
    assert.throws(() => parseSchedule('0,5x'), /"5x" is not a delay/);
    assert.throws(() => parseSchedule('0,,5s'), /comma-separated/);
    assert.deepEqual(parseSchedule('250, 1.5s, 1d'), [250, 1500, 86_400_000]);
  });
});

describe('TokenBucket (rate_limit_per_second)', () => {
  test('a second’s worth of tokens, refilled with the clock', () => {
    const b = new TokenBucket(2, 0);
    assert.equal(b.available(0), 2);
    b.take(0);
    b.take(0);
    assert.equal(b.available(0), 0);
    assert.equal(b.msUntilNext(0), 500);
    assert.equal(b.available(500), 1);
    assert.equal(b.available(10_000), 2, 'never more than one second’s worth');
  });

  test('below one per second, one token at a time', () => {
    const b = new TokenBucket(0.5, 0);
    assert.equal(b.available(0), 1);
    b.take(0);
    assert.equal(b.msUntilNext(0), 2000);
  });
});
