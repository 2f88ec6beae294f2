import { inspect } from 'node:util';
import type { AttemptFailure, ClaimedRow } from '../ports/outbox.js';
import { nextRetry, type RetryPolicy } from '../core/retry-schedule.js';
import { isDontRetryError, isRetryAfterError } from './handler-errors.js';

/** Stored errors are for people reading the dead-letter list, not for a full dump of the handler's state. */
const MAX_ERROR_CHARS = 2000;

/**
 * A handler may reject with anything: a plain object (`{ status: 503 }`), a null-prototype object
 * or one whose toString throws. String() would give "[object Object]" or throw, and a throw here
 * would leave the row leased and crash the process with an unhandled rejection; inspect() never throws.
 */
export function describeError(err: unknown): string {
  const text =
    err instanceof Error
      ? `${err.name}: ${err.message}`
      : `thrown: ${typeof err === 'string' ? err : inspect(err, { depth: 2, breakLength: Infinity })}`;
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS - 1)}…` : text;
}

/**
 * An attempt aborted because this process is stopping is not the handler's failure: it is counted
 * (docs/handlers.md, "At least once") but due again at once and never made a dead letter, so a deploy
 * during an event's last attempt does not throw the event away.
 */
export function interruptedAttempt(row: ClaimedRow, error: unknown, now: number): AttemptFailure {
  return {
    id: row.id,
    kind: 'retry',
    error: `${describeError(error)} (interrupted by shutdown)`,
    retryAt: now,
    delayMs: row.lastDelayMs ?? 0,
  };
}

/** Turns a failed attempt into the outbox update: retry at a jittered time, or a dead letter. */
export function decideFailure(
  policy: RetryPolicy,
  row: ClaimedRow,
  error: unknown,
  now: number,
  random: () => number,
): AttemptFailure {
  const decision = nextRetry(
    policy,
    {
      attempts: row.attempts + 1,
      permanent: isDontRetryError(error),
      ...(isRetryAfterError(error) ? { retryAfterMs: error.retryAfterMs } : {}),
      ...(row.lastDelayMs === null ? {} : { previousDelayMs: row.lastDelayMs }),
    },
    random,
  );
  const message = describeError(error);
  if (decision.kind === 'dead') {
    const why =
      decision.reason === 'permanent' ? 'not retried' : `gave up after ${row.attempts + 1} attempts`;
    return { id: row.id, kind: 'dead', error: `${message} (${why})` };
  }
  return {
    id: row.id,
    kind: 'retry',
    error: message,
    retryAt: now + decision.delayMs,
    delayMs: decision.delayMs,
  };
}
