import type { AnyWharfEvent } from '../events/wharf-event.js';
import { WharfError } from '../errors.js';
import { EVENT_NAMES, isEventName, type EventName } from '../events/event-names.js';
import { matchesFilter, type EventFilter } from '../events/router.js';

/** The router's filter (phone number, WABA, contact) plus any further pure condition. */
export interface HandlerFilter extends EventFilter {
  /** Runs in the processing transaction for every event: keep it pure and fast. */
  readonly where?: (event: AnyWharfEvent) => boolean;
}

/**
 * Expands router patterns (`message.text`, `status.*`) to the names they cover. Throws on a pattern
 * that matches no known name: for a durable handler a typo would silently never enqueue anything.
 */
export function expandPatterns(patterns: readonly string[]): ReadonlySet<EventName> {
  const out = new Set<EventName>();
  for (const pattern of patterns) {
    if (pattern.endsWith('.*')) {
      const prefix = pattern.slice(0, -1);
      const names = EVENT_NAMES.filter((n) => n.startsWith(prefix));
      if (names.length === 0)
        throw new WharfError('HANDLER_INVALID', `no event name matches ${JSON.stringify(pattern)}`);
      names.forEach((n) => out.add(n));
    } else if (isEventName(pattern)) out.add(pattern);
    else
      throw new WharfError(
        'HANDLER_INVALID',
        `unknown event name ${JSON.stringify(pattern)} (see docs/events.md)`,
      );
  }
  return out;
}

/** The predicate the processor calls per event: names (null: all) then the router's filter, then `where`. */
export function compileFilter(
  names: ReadonlySet<EventName> | null,
  filter: HandlerFilter = {},
): (event: AnyWharfEvent) => boolean {
  const { where, ...routerFilter } = filter;
  return (e) =>
    (names === null || names.has(e.name)) && matchesFilter(e, routerFilter) && (where ? where(e) : true);
}
