import { setTimeout as sleepMs } from 'node:timers/promises';
import type { SendResult } from './send-delivery.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Meta drops an update it could not deliver after 7 days (Meta's docs on responses, timeouts and retries). */
export const META_RETRY_WINDOW_MS = 7 * DAY;

/**
 * Delay before each retry, in Meta's time. Meta only says "immediately, then a few more times with
 * decreasing frequency, for up to 7 days" (Meta's docs on responses, timeouts and retries) and publishes no numbers; these gaps are
 * our rendering of that sentence: one immediate retry, then minutes, hours, and daily retries until
 * the cumulative wait would pass 7 days.
 */
export const META_RETRY_DELAYS_MS: readonly number[] = (() => {
  const gaps = [0, MINUTE, 5 * MINUTE, 15 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR];
  let total = gaps.reduce((a, b) => a + b, 0);
  while (total + DAY <= META_RETRY_WINDOW_MS) {
    gaps.push(DAY);
    total += DAY;
  }
  return Object.freeze(gaps);
})();

export interface RetryScheduleOptions {
  /** Divides every delay: 3600 turns Meta's hours into seconds. Default 1 (real time). */
  readonly timeScale?: number;
  /** Stop after this many retries (default: the whole 7-day schedule). */
  readonly maxRetries?: number;
}

/** Pure: the real-time delays (ms) before each retry under a time scale. */
export function metaRetrySchedule(options: RetryScheduleOptions = {}): number[] {
  const scale = options.timeScale ?? 1;
  if (!(scale > 0)) throw new RangeError('timeScale must be a positive number');
  return META_RETRY_DELAYS_MS.slice(0, options.maxRetries ?? META_RETRY_DELAYS_MS.length).map(
    (d) => d / scale,
  );
}

export interface Attempt {
  /** 1 for the first try. */
  readonly number: number;
  /** Delay waited before this attempt, in Meta's time (unscaled), so summaries can say "after 1 h". */
  readonly metaDelayMs: number;
  readonly result: SendResult;
}

export interface RetryOutcome {
  readonly attempts: readonly Attempt[];
  /** True when the last attempt was answered with exactly 200 (Meta's definition of success). */
  readonly acknowledged: boolean;
}

export interface SendWithRetriesOptions extends RetryScheduleOptions {
  /** One attempt; called again with the same bytes for every retry. */
  readonly send: () => Promise<SendResult>;
  /** False = a single attempt, no retries (`--no-retry`). */
  readonly retry?: boolean;
  /** Injected for tests; defaults to a real timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Called after each attempt with the Meta-time delay before the next one (undefined: no retry
   * follows). The later retries wait hours of Meta's time, so a caller can show progress meanwhile.
   */
  readonly onAttempt?: (attempt: Attempt, nextMetaDelayMs: number | undefined) => void;
}

/** Sends until a 200 or the schedule runs out; anything else — 4xx, 5xx, 2xx≠200, timeout — is retried. */
export async function sendWithMetaRetries(options: SendWithRetriesOptions): Promise<RetryOutcome> {
  const sleep = options.sleep ?? ((ms: number) => sleepMs(ms).then(() => undefined));
  const delays = options.retry === false ? [] : metaRetrySchedule(options);
  const attempts: Attempt[] = [];
  for (let i = 0; i <= delays.length; i++) {
    const metaDelayMs = i === 0 ? 0 : (META_RETRY_DELAYS_MS[i - 1] ?? 0);
    if (i > 0) await sleep(delays[i - 1] ?? 0);
    const result = await options.send();
    const attempt = { number: i + 1, metaDelayMs, result };
    attempts.push(attempt);
    const done = result.status === 200 || i === delays.length;
    options.onAttempt?.(attempt, done ? undefined : META_RETRY_DELAYS_MS[i]);
    if (result.status === 200) return { attempts, acknowledged: true };
  }
  return { attempts, acknowledged: false };
}
