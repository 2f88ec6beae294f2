/**
 * Which events a destination wants. Pure. Every condition given must hold;
 * `events` holds names or prefixes ending in `.`; without it every event but Wharf's own (`wharf.`)
 * matches, so operational events reach only destinations that ask for them.
 */
import type { AnyWharfEvent } from '../../events/wharf-event.js';
import type { DestinationFilter } from './destination.js';
import { errorPolicy } from '../error-policy.js';
import { EVENT_NAMES, type EventName } from '../../events/event-names.js';
import { namesOf, parseEventPattern } from '../../events/event-pattern.js';

/** Without `events`: every event but Wharf's own. */
const ALL_BUT_OPERATIONAL: ReadonlySet<EventName> = new Set(
  EVENT_NAMES.filter((n) => !n.startsWith('wharf.')),
);

/** Meta error codes an event carries: a failed status's `errors[]`, an `error` event's `error`. */
export function eventErrorCodes(event: AnyWharfEvent): number[] {
  const data = event.data as { errors?: unknown; error?: unknown } | null;
  if (data === null || typeof data !== 'object') return [];
  const list = Array.isArray(data.errors) ? data.errors : data.error === undefined ? [] : [data.error];
  const codes: number[] = [];
  for (const e of list) {
    const code = (e as { code?: unknown } | null)?.code;
    if (typeof code === 'number' && Number.isInteger(code)) codes.push(code);
  }
  return codes;
}

/**
 * The filter as a predicate. Names and prefixes are matched by the one event-pattern module (the
 * names they stand for are worked out once here, not per event); the stored patterns were checked
 * by it when the destination was saved.
 */
export function destinationMatcher(filter: DestinationFilter): (event: AnyWharfEvent) => boolean {
  const names = filter.events === undefined ? ALL_BUT_OPERATIONAL : namesMatched(filter.events);
  return (event) => {
    if (!names.has(event.name)) return false;
    if (filter.phoneNumberIds && !filter.phoneNumberIds.includes(event.phoneNumberId ?? '')) return false;
    if (filter.wabaIds && !filter.wabaIds.includes(event.wabaId)) return false;
    if (filter.errorCodes === undefined && filter.errorActions === undefined) return true;
    const codes = eventErrorCodes(event);
    if (filter.errorCodes && !codes.some((c) => filter.errorCodes?.includes(c))) return false;
    if (filter.errorActions && !codes.some((c) => filter.errorActions?.includes(errorPolicy(c).action)))
      return false;
    return true;
  };
}

/** A stored pattern this catalog does not know (renamed since it was saved) matches nothing. */
function namesMatched(patterns: readonly string[]): ReadonlySet<EventName> {
  const names = new Set<EventName>();
  patterns.forEach((pattern, index) => {
    try {
      for (const name of namesOf(parseEventPattern(pattern, index))) names.add(name);
    } catch {
      // unknown: contributes no name
    }
  });
  return names;
}

export function destinationWants(filter: DestinationFilter, event: AnyWharfEvent): boolean {
  return destinationMatcher(filter)(event);
}
