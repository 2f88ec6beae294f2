/**
 * `undelivered_after_seconds` of an `sms` destination (docs/actions.md): for a message sent through
 * Wharf, its `status.sent` row is held until that long after it was sent (the dispatcher's hold, as a
 * conversation's batch window); when it comes due, an SMS goes out unless `delivered`, `read` or
 * `failed` arrived first (a failure has its own fallback). Pure.
 */
import type { Destination } from '../destinations/destination.js';
import type { AnyWharfEvent } from '../../events/wharf-event.js';
import type { TargetRule } from '../target-rule.js';

/** The timer in ms, or null when the destination has none. */
export function undeliveredAfterMs(d: Destination): number | null {
  const s = d.settings['undelivered_after_seconds'];
  return d.kind === 'sms' && typeof s === 'number' && s > 0 ? s * 1000 : null;
}

/**
 * What a destination takes, as a rule (src/core/target-rule.ts): its filter, plus, for an `sms`
 * destination with the timer, the `status.sent` of every message on its numbers and accounts — the
 * error conditions of the filter are about failures, not timers.
 */
export function destinationRule(d: Destination): TargetRule {
  return { kind: 'destination', filter: d.filter, sentStatuses: undeliveredAfterMs(d) !== null };
}

/**
 * When a `status.sent` row comes due (sent time + the timer), or null to run it now. Meta's clock may
 * run ahead of ours: the wait is never longer than the timer from now.
 */
export function undeliveredDue(event: AnyWharfEvent, afterMs: number, now: number): number | null {
  if (event.name !== 'status.sent') return null;
  const sentAt = event.occurredAt ?? now;
  const due = Math.min(sentAt + afterMs, now + afterMs);
  return due > now ? due : null;
}

/** Statuses that end the timer: the message arrived, or failed (its failure has its own fallback). */
export function endsUndeliveredTimer(status: string | null, failed: boolean): boolean {
  return failed || status === 'delivered' || status === 'read' || status === 'played';
}
