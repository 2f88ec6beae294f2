/**
 * Flag values checked before anything is sent: each throws a message naming the flag, which the
 * commands print as a usage error (exit 2). Number() alone accepts "" (0), "0x10", "1e10" and
 * fractions, which turned `--seed ""` into seed 0 and `--max-retries 1.5` into one retry.
 */

import { MAX_TIMER_MS } from '../util/max-timer-ms.js';

const WHOLE = /^\d+$/;
const DECIMAL = /^(\d+(\.\d*)?|\.\d+)$/;

/** A whole decimal number in [min, max]; undefined when the flag is absent. */
export function wholeFlag(
  name: string,
  value: string | undefined,
  { min = 0, max = Number.MAX_SAFE_INTEGER } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!WHOLE.test(value.trim()) || n < min)
    throw new Error(`--${name} must be a whole number ≥ ${min} (got "${value}")`);
  if (n > max) throw new Error(`--${name} must be at most ${max} (got "${value}")`);
  return n;
}

/** A decimal number above 0 (rates, durations, scales); undefined when the flag is absent. */
export function positiveFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!DECIMAL.test(value.trim()) || !(n > 0))
    throw new Error(`--${name} must be a number greater than 0 (got "${value}")`);
  return n;
}

/** Milliseconds for a timer: a whole number from 1 to Node's timer limit. */
export function millisecondsFlag(name: string, value: string | undefined): number | undefined {
  return wholeFlag(name, value, { min: 1, max: MAX_TIMER_MS });
}

/** An absolute http:// or https:// URL, the only kinds the senders can reach. */
export function urlFlag(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`--${name} must be an http:// or https:// URL (got "${value}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`--${name} must be an http:// or https:// URL (got "${value}")`);
  return value;
}
