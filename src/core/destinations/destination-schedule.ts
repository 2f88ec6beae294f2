/**
 * When a destination's failed hand-off is tried again. Pure. The schedule lists the
 * delay before each attempt: the first is the first attempt ("at once"), and after the last one
 * the row is a dead letter. Fixed steps rather than handlers' jittered backoff: people reading an
 * attempt log or a receiver's docs can tell when the next try comes.
 */

/** At once, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: about 28 hours in 8 attempts. */
export const DEFAULT_DESTINATION_SCHEDULE_MS: readonly number[] = Object.freeze([
  0,
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
]);

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `0, 5s, 5m, 30m, 2h` → milliseconds; throws a RangeError naming the bad step. */
export function parseSchedule(text: string): number[] {
  const steps = text.split(',').map((s) => s.trim());
  if (steps.length === 0 || steps.some((s) => s === ''))
    throw new RangeError('a comma-separated list of delays such as 0,5s,5m,30m,2h');
  return steps.map((s) => {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(s);
    if (!m) throw new RangeError(`"${s}" is not a delay (a number with ms, s, m, h or d)`);
    return Math.round(Number(m[1]) * (UNIT_MS[m[2] ?? 'ms'] as number));
  });
}

export type DestinationRetry =
  { readonly kind: 'retry'; readonly delayMs: number } | { readonly kind: 'dead' };

/**
 * After `attempts` failed attempts (this one included): the delay before the next, or dead.
 * `retryAfterMs` (HTTP Retry-After) replaces the scheduled delay but is capped at the step after
 * it, so a receiver can ask for a later (or earlier) retry without parking the row beyond the
 * schedule's own next step.
 */
export function nextDestinationAttempt(
  schedule: readonly number[],
  attempts: number,
  retryAfterMs?: number,
): DestinationRetry {
  if (attempts >= schedule.length) return { kind: 'dead' };
  const scheduled = schedule[attempts] as number;
  if (retryAfterMs === undefined || !Number.isFinite(retryAfterMs))
    return { kind: 'retry', delayMs: scheduled };
  const cap = schedule[attempts + 1] ?? scheduled;
  return {
    kind: 'retry',
    delayMs: Math.min(Math.max(0, Math.round(retryAfterMs)), Math.max(cap, scheduled)),
  };
}
