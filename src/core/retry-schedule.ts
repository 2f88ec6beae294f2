/**
 * When to try a failed (event, handler) pair again. Pure: the random source is injected so tests
 * can seed it, and "now" never appears here — the caller adds the delay to its own clock.
 *
 * Jitter spreads the retries of many rows that failed together (a handler outage fails a whole
 * burst at once); without it they would all come back in the same millisecond and fail again.
 * "full" and "decorrelated" are the two variants from
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/ .
 */

export type Jitter = 'full' | 'decorrelated' | 'none';

export interface RetryPolicy {
  /** Delay ceiling after the first failure, in ms. */
  readonly baseMs: number;
  /** Growth of the ceiling per further failure (2 = doubling). */
  readonly factor: number;
  /** No computed delay exceeds this. */
  readonly capMs: number;
  /** Attempts in total (the first one included) before the row becomes a dead letter. */
  readonly maxAttempts: number;
  readonly jitter: Jitter;
  /** Upper bound for a handler's own RetryAfterError delay, so a bogus value cannot park a row for years. */
  readonly maxRetryAfterMs: number;
}

/** 5 s, 15 s, 45 s … capped at 1 h: with 8 attempts a handler gets about 1.5 h to recover. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  baseMs: 5_000,
  factor: 3,
  capMs: 60 * 60_000,
  maxAttempts: 8,
  jitter: 'full',
  maxRetryAfterMs: 24 * 60 * 60_000,
});

export interface AttemptFailure {
  /** Attempts made so far, this failed one included (1 after the first failure). */
  readonly attempts: number;
  /** The handler said the failure is permanent (DontRetryError). */
  readonly permanent?: boolean;
  /** The handler asked for this delay (RetryAfterError). */
  readonly retryAfterMs?: number;
  /** Delay chosen before this one (decorrelated jitter grows from it); absent on the first failure. */
  readonly previousDelayMs?: number;
}

export type RetryDecision =
  | { readonly kind: 'retry'; readonly delayMs: number }
  | { readonly kind: 'dead'; readonly reason: 'permanent' | 'max_attempts' };

/** Upper bound of the un-jittered exponential delay after `attempts` failures. */
export function backoffCeiling(policy: RetryPolicy, attempts: number): number {
  const exp = policy.baseMs * Math.pow(policy.factor, Math.max(0, attempts - 1));
  return Math.min(policy.capMs, exp);
}

/** Retry or dead letter after a failed attempt. `random` returns values in [0, 1). */
export function nextRetry(policy: RetryPolicy, failure: AttemptFailure, random: () => number): RetryDecision {
  if (failure.permanent) return { kind: 'dead', reason: 'permanent' };
  if (failure.attempts >= policy.maxAttempts) return { kind: 'dead', reason: 'max_attempts' };
  if (failure.retryAfterMs !== undefined) {
    // The handler knows better than the schedule (e.g. a 429 with Retry-After): honour it, bounded.
    const ms = Math.min(policy.maxRetryAfterMs, Math.max(0, Math.round(failure.retryAfterMs)));
    return { kind: 'retry', delayMs: ms };
  }
  return { kind: 'retry', delayMs: jitteredDelay(policy, failure, random) };
}

function jitteredDelay(policy: RetryPolicy, failure: AttemptFailure, random: () => number): number {
  const ceiling = backoffCeiling(policy, failure.attempts);
  const r = clampUnit(random());
  switch (policy.jitter) {
    case 'none':
      return ceiling;
    case 'full':
      return Math.floor(r * ceiling);
    case 'decorrelated': {
      // sleep = min(cap, random_between(base, previous * 3)); the first failure starts from base.
      const prev = Math.max(policy.baseMs, failure.previousDelayMs ?? policy.baseMs);
      const upper = Math.max(policy.baseMs, prev * 3);
      return Math.min(policy.capMs, Math.floor(policy.baseMs + r * (upper - policy.baseMs)));
    }
  }
}

/** A random source outside [0, 1) (a bad stub, NaN) must never produce a negative or huge delay. */
function clampUnit(x: number): number {
  if (!Number.isFinite(x) || x < 0) return 0;
  return x >= 1 ? 1 - Number.EPSILON : x;
}

/** Checks a policy built from user options; throws a RangeError naming the bad field. */
export function validateRetryPolicy(policy: RetryPolicy): RetryPolicy {
  const positive = (name: keyof RetryPolicy, v: number, min: number) => {
    if (!Number.isFinite(v) || v < min)
      throw new RangeError(`retry policy: ${name} must be a number ≥ ${min}`);
  };
  positive('baseMs', policy.baseMs, 0);
  positive('factor', policy.factor, 1);
  positive('capMs', policy.capMs, policy.baseMs);
  positive('maxRetryAfterMs', policy.maxRetryAfterMs, 0);
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1)
    throw new RangeError('retry policy: maxAttempts must be an integer ≥ 1');
  if (!['full', 'decorrelated', 'none'].includes(policy.jitter))
    throw new RangeError('retry policy: jitter must be full, decorrelated or none');
  return policy;
}
