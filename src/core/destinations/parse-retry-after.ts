/**
 * An HTTP `Retry-After` value (RFC 9110 §10.2.3: delay-seconds or an HTTP-date) → milliseconds to
 * wait from `now`, or undefined when absent or unreadable (then the retry schedule alone decides).
 * The dispatcher caps it at the next scheduled attempt.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  // An HTTP-date always names the weekday and GMT; Date.parse alone would read "5" or "2026" as dates.
  if (!/^[A-Za-z]{3},? .*GMT$/.test(v) && !/^[A-Za-z]+, \d{2}-[A-Za-z]{3}-\d{2} .*GMT$/.test(v))
    return undefined;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
