/**
 * Errors a handler throws to steer its own retries (docs/handlers.md#errors). Any other error is
 * retried on the backoff schedule.
 *
 * They are recognised by a global symbol as well as by class, because an app can end up with two
 * copies of this package (a bundler, a linked checkout) and `instanceof` would then fail silently.
 */
const DONT_RETRY = Symbol.for('wharf.DontRetryError');
const RETRY_AFTER = Symbol.for('wharf.RetryAfterError');

/** The failure is permanent (bad data, a 4xx from the system you call): dead-letter at once. */
export class DontRetryError extends Error {
  readonly [DONT_RETRY] = true;
  constructor(message = 'handler refused the event (do not retry)', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DontRetryError';
  }
}

/** Try again after `retryAfterMs` instead of the backoff schedule (e.g. a 429 with Retry-After). */
export class RetryAfterError extends Error {
  readonly [RETRY_AFTER] = true;
  readonly retryAfterMs: number;
  constructor(retryAfterMs: number, message?: string, options?: { cause?: unknown }) {
    super(message ?? `handler asked to retry after ${retryAfterMs} ms`, options);
    this.name = 'RetryAfterError';
    this.retryAfterMs = Number.isFinite(retryAfterMs) && retryAfterMs > 0 ? retryAfterMs : 0;
  }
}

export function isDontRetryError(err: unknown): err is DontRetryError {
  return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[DONT_RETRY] === true;
}

export function isRetryAfterError(err: unknown): err is RetryAfterError {
  return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[RETRY_AFTER] === true;
}

/** The handler did not settle within its timeout; retried like any other failure. */
export class HandlerTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`handler did not finish within ${timeoutMs} ms`);
    this.name = 'HandlerTimeoutError';
  }
}
