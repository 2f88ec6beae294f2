import type { AnyWharfEvent } from '../events/wharf-event.js';
import type { EventName } from '../events/event-names.js';
import { matchesFilter, type EventFilter } from '../events/router.js';
import { wantsOfRule, type TargetRule } from '../core/target-rule.js';

/** The router's filter (phone number, WABA, contact) plus any further pure condition. */
export interface HandlerFilter extends EventFilter {
  /** Runs in the processing transaction for every event: keep it pure and fast. */
  readonly where?: (event: AnyWharfEvent) => boolean;
}

/**
 * The predicate the processor calls per event: names (null: all; parseEventPatterns gives them)
 * then the router's filter, then `where`; and, without `where`, the same as a rule
 * (src/core/target-rule.ts) that a processing thread can apply.
 */
export function compileFilter(
  names: ReadonlySet<EventName> | null,
  filter: HandlerFilter = {},
): { wants: (event: AnyWharfEvent) => boolean; rule?: TargetRule } {
  const { where, phoneNumberId, wabaId, contact } = filter;
  const routerFilter: EventFilter = {
    ...(phoneNumberId === undefined ? {} : { phoneNumberId }),
    ...(wabaId === undefined ? {} : { wabaId }),
    ...(contact === undefined ? {} : { contact }),
  };
  if (where === undefined) {
    const rule: TargetRule = {
      kind: 'handler',
      names: names === null ? null : [...names],
      filter: routerFilter,
    };
    return { wants: wantsOfRule(rule), rule };
  }
  return {
    wants: (e) => (names === null || names.has(e.name)) && matchesFilter(e, routerFilter) && where(e),
  };
}
