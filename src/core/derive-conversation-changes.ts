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
  const rank = rankOf(event.occurredAt, event.key);
  for (const c of changes) {
    if (c.kind !== 'message' && c.kind !== 'status') continue;
    const key = contactKey({ waId: c.contactWaId, userId: c.contactUserId });
    if (key === undefined || c.phoneNumberId === '') continue;
    const base = { kind: 'conversation' as const, phoneNumberId: c.phoneNumberId, contactKey: key };
    if (c.kind === 'status') {
      out.push({
        ...base,
        wamid: c.wamid,
        direction: 'outbound',
        at: c.at,
        rank,
        ...(SENDING.has(c.status) ? { last: 'outbound' as const } : {}),
      });
      continue;
    }
    const { direction, mediaId, type } = c.content;
    out.push({
      ...base,
      wamid: c.wamid,
      direction,
      at: c.occurredAt,
      rank,
      last: direction,
      ...(direction === 'inbound' && opensServiceWindow(event) ? { opensWindow: true } : {}),
      ...(mediaId !== undefined ? { media: { id: mediaId, type: type ?? 'media' } } : {}),
    });
  }
  return out;
}
