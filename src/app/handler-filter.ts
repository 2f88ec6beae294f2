import type { AnyWharfEvent } from '../events/wharf-event.js';
import type { EventName } from '../events/event-names.js';
import { matchesFilter, type EventFilter } from '../events/router.js';

/** The router's filter (phone number, WABA, contact) plus any further pure condition. */
export interface HandlerFilter extends EventFilter {
  /** Runs in the processing transaction for every event: keep it pure and fast. */
  readonly where?: (event: AnyWharfEvent) => boolean;
}

/**
 * The predicate the processor calls per event: names (null: all; parseEventPatterns gives them)
 * then the router's filter, then `where`.
 */
export function compileFilter(
  names: ReadonlySet<EventName> | null,
  filter: HandlerFilter = {},
): (event: AnyWharfEvent) => boolean {
  const { where, ...routerFilter } = filter;
  return (e) =>
    (names === null || names.has(e.name)) && matchesFilter(e, routerFilter) && (where ? where(e) : true);
}
