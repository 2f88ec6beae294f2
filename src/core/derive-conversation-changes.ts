/**
 * Conversation facets of one event, from the message and status records the event
 * already yields: every message of either direction joins its (phone_number_id, contact) conversation;
 * inbound messages, echoes and the `sent` / `failed` status of an outbound message may become the
 * conversation's last message of their direction (greatest rank wins, so any order gives the same).
 * Delivered / read statuses only add the message and move the activity time: their time is not when
 * the message was sent.
 */
import type { AnyWharfEvent } from '../events/wharf-event.js';
import { contactKey } from './derive-contact-changes.js';
import { opensServiceWindow } from './service-window.js';
import { rankOf, type ConversationChange, type StateChange } from './state-change.js';

const SENDING = new Set(['sent', 'failed']);

/** Group messages belong to the group, WhatsApp's system notices to nobody's conversation. */
function outsideConversations(event: AnyWharfEvent): boolean {
  if (event.name === 'message.system') return true;
  return (event.data as { readonly groupId?: unknown } | undefined)?.groupId !== undefined;
}

export function deriveConversationChanges(
  event: AnyWharfEvent,
  changes: readonly StateChange[],
): ConversationChange[] {
  if (outsideConversations(event)) return [];
  const out: ConversationChange[] = [];
  // A status change carries this very rank; a message change's is prefixed by its source.
  let rank: string | undefined;
  // Every record has all its properties (undefined where not set): one object shape, built without
  // spreads (derived for every event, they measured several µs per event).
  for (const c of changes) {
    if (c.kind !== 'message' && c.kind !== 'status') continue;
    const key = contactKey({ waId: c.contactWaId, userId: c.contactUserId });
    if (key === undefined || c.phoneNumberId === '') continue;
    if (c.kind === 'status') {
      out.push({
        kind: 'conversation',
        phoneNumberId: c.phoneNumberId,
        contactKey: key,
        wamid: c.wamid,
        direction: 'outbound',
        at: c.at,
        rank: c.rank,
        last: SENDING.has(c.status) ? 'outbound' : undefined,
        opensWindow: undefined,
        media: undefined,
      });
      continue;
    }
    rank ??= rankOf(event.occurredAt, event.key);
    const { direction, mediaId, type } = c.content;
    out.push({
      kind: 'conversation',
      phoneNumberId: c.phoneNumberId,
      contactKey: key,
      wamid: c.wamid,
      direction,
      at: c.occurredAt,
      rank,
      last: direction,
      opensWindow: direction === 'inbound' && opensServiceWindow(event) ? true : undefined,
      media: mediaId !== undefined ? { id: mediaId, type: type ?? 'media' } : undefined,
    });
  }
  return out;
}
