/**
 * `--events message.text,status.` → the names and prefixes asked for, each checked against the
 * event catalogue so a typo is a usage error rather than a listener that never hears anything.
 * `status.*` is read as the prefix `status.`.
 */
import { EVENT_NAMES } from '../events/event-names.js';

export function eventsFlag(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const patterns = value
    .split(',')
    .map((p) => p.trim().replace(/\.\*$/, '.'))
    .filter((p) => p !== '');
  if (patterns.length === 0) throw new Error('--events must name at least one event or prefix');
  for (const p of patterns) {
    const known = p.endsWith('.')
      ? EVENT_NAMES.some((n) => n.startsWith(p))
      : EVENT_NAMES.includes(p as never);
    if (!known)
      throw new Error(
        `--events: "${p}" is no event name or prefix ending in "." (e.g. message.text, status.); see docs/events.md`,
      );
  }
  return patterns;
}

/** Whether `name` is one of the patterns (an exact name, or a prefix ending in "."). */
export function matchesEvents(patterns: readonly string[] | undefined, name: string): boolean {
  if (patterns === undefined) return true;
  return patterns.some((p) => (p.endsWith('.') ? name.startsWith(p) : name === p));
}
