/**
 * One (event, destination) hand-off ready to send (src/ports/destination-transport.ts): the body in
 * the destination's format and the id that stays the same on every retry and replay.
 */
import { hash } from 'node:crypto';
import type { Destination, DestinationSecrets } from '../core/destinations/destination.js';
import type { AnyWharfEvent } from '../events/wharf-event.js';
import type { OutboundMessage } from '../ports/destination-transport.js';
import { formatMeta } from '../core/destinations/meta-envelope.js';
import { eventJsonText } from '../events/event-json.js';
import type { ConversationView } from '../ports/conversation-store.js';
import { conversationDestinationJson } from '../core/conversation-json.js';

function formatBody(
  d: Destination,
  secrets: DestinationSecrets,
  stored: { readonly id: string; readonly event: AnyWharfEvent },
  conversation: ConversationAtSend | undefined,
): { body: string; headers: Record<string, string> } {
  if (d.format === 'meta') return formatMeta(stored.event, secrets.current);
  if (d.format === 'conversation') {
    // The runtime reads the conversation first; a caller that did not is a programming error.
    if (conversation === undefined)
      throw new Error('format conversation needs the conversation read at send time');
    return {
      body: JSON.stringify(conversationDestinationJson(conversation.view, conversation.now)),
      headers: {},
    };
  }
  return { body: eventBody(stored), headers: {} };
}

/** The body of format `event`: the event as GET /api/v1/events/{id} shows it. */
export function eventBody(stored: { readonly id: string; readonly event: AnyWharfEvent }): string {
  return eventJsonText({ id: stored.id, event: stored.event });
}

/**
 * `webhook-id`: derived from the event key and the destination, not from a row id, so it is the same
 * on every attempt, after a replay and in every process, and a receiver can de-duplicate on it.
 */
export function webhookId(eventKey: string, destinationId: string): string {
  // crypto.hash, one call: a Hash object per event cost twice as much in a profile of a drain.
  return `msg_${hash('sha256', `${destinationId}\n${eventKey}`, 'base64url').slice(0, 32)}`;
}

/** The conversation a `conversation` body is made of, read at send time, and the time it was read. */
export interface ConversationAtSend {
  readonly view: ConversationView;
  readonly now: number;
}

export function outboundMessage(
  d: Destination,
  secrets: DestinationSecrets,
  stored: { readonly id: string; readonly event: AnyWharfEvent },
  conversation?: ConversationAtSend,
  /** The format `event` body when already made for another destination (EventBodies). */
  eventBody?: string,
): OutboundMessage {
  const e = stored.event;
  const formatted =
    d.format === 'event' && eventBody !== undefined
      ? { body: eventBody, headers: {} }
      : formatBody(d, secrets, stored, conversation);
  return {
    id: webhookId(e.key, d.id),
    eventKey: e.key,
    name: e.name,
    phoneNumberId: e.phoneNumberId ?? null,
    body: formatted.body,
    headers: formatted.headers,
    event: e,
    eventId: stored.id,
  };
}
