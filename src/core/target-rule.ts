/**
 * What an outbox target wants, as data instead of a function: a thread that processes batches
 * away from the one that registered the targets (the SQLite processing thread,
 * src/adapters/sqlite/processing-writer-worker.ts) receives the rules and makes the same choice.
 * Every target Wharf makes has one; a handler with a `where` function has none, and its process
 * then processes batches where the functions are. Pure.
 */
import type { AnyWharfEvent } from '../events/wharf-event.js';
import type { EventName } from '../events/event-names.js';
import { matchesFilter, type EventFilter } from '../events/router.js';
import type { DestinationFilter } from './destinations/destination.js';
import { destinationMatcher } from './destinations/destination-filter.js';
import { mediaOfEvent } from './media/media-of-event.js';

export type TargetRule =
  /** `wharf.on` / `wharf.onAny`: the names (null: every name), then the router's filter. */
  | { readonly kind: 'handler'; readonly names: readonly EventName[] | null; readonly filter: EventFilter }
  /**
   * A destination's filter; `sentStatuses`: also every `status.sent` on its numbers and accounts
   * (an `sms` destination's undelivered timer, src/core/actions/undelivered-timer.ts).
   */
  | { readonly kind: 'destination'; readonly filter: DestinationFilter; readonly sentStatuses: boolean }
  /** Every event that carries a media item (src/app/media-target.ts). */
  | { readonly kind: 'media' };

/** The rule as the predicate a target's `wants` is. */
export function wantsOfRule(rule: TargetRule): (event: AnyWharfEvent) => boolean {
  switch (rule.kind) {
    case 'handler': {
      const names = rule.names === null ? null : new Set<string>(rule.names);
      const filter = rule.filter;
      return (e) => (names === null || names.has(e.name)) && matchesFilter(e, filter);
    }
    case 'destination': {
      const matches = destinationMatcher(rule.filter);
      if (!rule.sentStatuses) return matches;
      const { phoneNumberIds, wabaIds } = rule.filter;
      return (e) =>
        matches(e) ||
        (e.name === 'status.sent' &&
          (phoneNumberIds === undefined || phoneNumberIds.includes(e.phoneNumberId ?? '')) &&
          (wabaIds === undefined || wabaIds.includes(e.wabaId)));
    }
    case 'media':
      return (e) => mediaOfEvent(e) !== null;
  }
}
