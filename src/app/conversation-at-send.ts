/**
 * The conversation a `conversation` destination posts, read when the call leaves (so it carries
 * everything the processor has committed by then, notes and labels included).
 */
import type { AnyWharfEvent } from '../events/wharf-event.js';
import type { ConversationStore } from '../ports/conversation-store.js';
import type { ConversationAtSend } from './outbound-message.js';

/** The conversation of the event's contact on its number; a plain-words error when there is none. */
export async function conversationAtSend(
  store: ConversationStore,
  e: AnyWharfEvent,
  now: number,
): Promise<ConversationAtSend> {
  const contactId = e.contact?.userId ?? e.contact?.waId;
  if (contactId === undefined || e.phoneNumberId === undefined)
    throw new Error(
      `format conversation: ${e.name} has no contact and number to read a conversation for (filter this destination to message. events)`,
    );
  const view = await store.getConversation(contactId, e.phoneNumberId);
  if (view === null)
    throw new Error(`format conversation: no conversation yet for ${contactId} on ${e.phoneNumberId}`);
  return { view, now };
}
