import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_RETRY_POLICY,
  backoffCeiling,
  nextRetry,
  validateRetryPolicy,
  type RetryPolicy,
} from '../../src/core/retry-schedule.js';
import { mulberry32 } from '../../src/util/mulberry32.js';

const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, baseMs: 100, factor: 2, capMs: 1000, maxAttempts: 6 };

describe('retry schedule', () => {
  test('the ceiling grows exponentially and stops at the cap', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((n) => backoffCeiling(policy, n)),
      [100, 200, 400, 800, 1000, 1000],
    );
  });

  test('without jitter the delay is the ceiling', () => {
    const p = { ...policy, jitter: 'none' as const };
    assert.deepEqual(
      nextRetry(p, { attempts: 3 }, () => 0.5),
      { kind: 'retry', delayMs: 400 },
    );
  });

  test('full jitter stays within [0, ceiling] and actually spreads', () => {
    const random = mulberry32(42);
    for (let attempts = 1; attempts < policy.maxAttempts; attempts++) {
      const seen = new Set<number>();
      for (let i = 0; i < 200; i++) {
        const d = nextRetry(policy, { attempts }, random);
        assert.equal(d.kind, 'retry');
        if (d.kind !== 'retry') return;
        assert.ok(d.delayMs >= 0 && d.delayMs <= backoffCeiling(policy, attempts), `${d.delayMs}`);
        seen.add(d.delayMs);
      }
      assert.ok(seen.size > 50, `jitter spreads the delays (attempt ${attempts}: ${seen.size} distinct)`);
    }
  });

  test('the extremes of the random source hit the bounds', () => {
    assert.deepEqual(
      nextRetry(policy, { attempts: 2 }, () => 0),
      { kind: 'retry', delayMs: 0 },
    );
    const top = nextRetry(policy, { attempts: 2 }, () => 0.999999);
    assert.ok(top.kind === 'retry' && top.delayMs === 199);
  });

  test('a broken random source cannot make a negative or oversized delay', () => {
    for (const bad of [NaN, -1, 7, Infinity]) {
      const d = nextRetry(policy, { attempts: 4 }, () => bad);
      assert.ok(d.kind === 'retry' && d.delayMs >= 0 && d.delayMs <= 800, `${bad} → ${JSON.stringify(d)}`);
    }
  });

  test('decorrelated jitter stays within [base, min(cap, 3 × previous)]', () => {
    const p = { ...policy, jitter: 'decorrelated' as const };
    const random = mulberry32(7);
    let previous: number | undefined;
    for (let attempts = 1; attempts < p.maxAttempts; attempts++) {
      const d = nextRetry(
        p,
        { attempts, ...(previous === undefined ? {} : { previousDelayMs: previous }) },
        random,
      );
      assert.equal(d.kind, 'retry');
      if (d.kind !== 'retry') return;
      const upper = Math.min(p.capMs, Math.max(p.baseMs, (previous ?? p.baseMs) * 3));
      assert.ok(d.delayMs >= p.baseMs && d.delayMs <= upper, `${d.delayMs} not in [${p.baseMs}, ${upper}]`);
      previous = d.delayMs;
    }
  });

  test('the last allowed attempt ends as a dead letter', () => {
    assert.equal(nextRetry(policy, { attempts: 5 }, () => 0.5).kind, 'retry');
    assert.deepEqual(
      nextRetry(policy, { attempts: 6 }, () => 0.5),
      { kind: 'dead', reason: 'max_attempts' },
    );
    assert.deepEqual(
      nextRetry({ ...policy, maxAttempts: 1 }, { attempts: 1 }, () => 0.5),
      {
        kind: 'dead',
        reason: 'max_attempts',
      },
    );
  });

  test('a permanent failure is dead at once, even on the first attempt', () => {
    assert.deepEqual(
      nextRetry(policy, { attempts: 1, permanent: true }, () => 0.5),
      {
        kind: 'dead',
        reason: 'permanent',
      },
    );
  });

  test('retry-after is honoured exactly (beyond the cap), bounded, and never negative', () => {
    assert.deepEqual(
      nextRetry(policy, { attempts: 1, retryAfterMs: 5000 }, () => 0),
      {
        kind: 'retry',
        delayMs: 5000,
      },
    );
    const huge = nextRetry(policy, { attempts: 1, retryAfterMs: 1e15 }, () => 0);
    assert.deepEqual(huge, { kind: 'retry', delayMs: policy.maxRetryAfterMs });
    assert.deepEqual(
      nextRetry(policy, { attempts: 1, retryAfterMs: -5 }, () => 0),
      {
        kind: 'retry',
        delayMs: 0,
      },
    );
  });

  test('retry-after does not extend the number of attempts', () => {
    assert.equal(nextRetry(policy, { attempts: 6, retryAfterMs: 10 }, () => 0).kind, 'dead');
  });

  test('policy validation names the bad field', () => {
    assert.throws(() => validateRetryPolicy({ ...policy, maxAttempts: 0 }), /maxAttempts/);
    assert.throws(() => validateRetryPolicy({ ...policy, factor: 0.5 }), /factor/);
    assert.throws(() => validateRetryPolicy({ ...policy, capMs: 10 }), /capMs/);
    assert.throws(() => validateRetryPolicy({ ...policy, jitter: 'weird' as never }), /jitter/);
    assert.equal(validateRetryPolicy(policy), policy);
  });
});
