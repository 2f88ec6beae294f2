/**
 * Customer service window (Meta's docs on the customer service window): open until the user's last message or call + 24 h.
 * Sending templates, echoes of the business's own messages and history sync never open it.
 */
import type { AnyWharfEvent } from '../events/wharf-event.js';

export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Whether this event is the user reaching out. System messages are WhatsApp's notices, not the
 * user; group messages do not open the 1:1 window.
 */
export function opensServiceWindow(event: AnyWharfEvent): boolean {
  if (event.occurredAt === null) return false;
  if (event.name === 'call.connect') return event.data.direction === 'USER_INITIATED';
  // A thread another app owns (Conversation Routing, Meta's docs on `messaging_handovers` and `standby`) copies the user's messages
  // here on standby: the window belongs to the number and the user, whichever app answers.
  if (event.name === 'standby')
    return event.data.kind === 'message' && userMessage(event.data.message.type, event.data.message);
  if (!event.name.startsWith('message.')) return false;
  return userMessage(event.name.slice('message.'.length), event.data);
}

/** A system message is WhatsApp's notice, not the user; a group message does not open the 1:1 window. */
function userMessage(type: string, data: unknown): boolean {
  return type !== 'system' && (data as { readonly groupId?: string }).groupId === undefined;
}

/** Window end for the last inbound time, or null when the user never wrote. */
export function windowOpenUntil(lastInboundAt: number | null): number | null {
  return lastInboundAt === null ? null : lastInboundAt + SERVICE_WINDOW_MS;
}

export function isWindowOpen(lastInboundAt: number | null, now: number): boolean {
  const until = windowOpenUntil(lastInboundAt);
  return until !== null && now < until;
}
