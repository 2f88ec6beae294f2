/**
 * `--events message.text,status.` → the names and prefixes asked for, read by the one event
 * pattern module (`status.*` is the prefix `status.` too), so a typo is a usage error with the
 * closest spelling rather than a listener that never hears anything.
 */
import { EventPatternError, parseEventPatterns, type ParsedEventPatterns } from '../events/event-pattern.js';

/** The patterns of `--events`, each checked; undefined when the flag is absent. */
export function eventsFlag(value: string | undefined): ParsedEventPatterns | undefined {
  if (value === undefined) return undefined;
  const list = value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (list.length === 0) throw new Error('--events must name at least one event or prefix');
  try {
    return parseEventPatterns(list);
  } catch (err) {
    if (err instanceof EventPatternError) throw new Error(`--events: ${err.message}`);
    throw err;
  }
}

/** Whether `name` is selected (every event when the flag was absent). */
export function matchesEvents(events: ParsedEventPatterns | undefined, name: string): boolean {
  return events === undefined || events.names.has(name as never);
}
