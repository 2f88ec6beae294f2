/**
 * The batch window of a `conversation` destination: a contact's message is held
 * until `batch_window_ms` after it occurred, so the messages the customer sends meanwhile arrive
 * and one call carries them all. Pure.
 */
import type { AnyWharfEvent } from '../../events/wharf-event.js';

/**
 * When the row of this event may be sent, or null to send it now (its window has passed, or it has
 * no time). Meta's clock may run ahead of ours: the wait is never longer than one window from now.
 */
export function batchWindowEnd(event: AnyWharfEvent, windowMs: number, now: number): number | null {
  if (windowMs <= 0 || event.occurredAt === null) return null;
  const end = Math.min(event.occurredAt + windowMs, now + windowMs);
  return end > now ? end : null;
}
