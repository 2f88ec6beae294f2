/**
 * The event `POST /api/v1/destinations/{id}/test` sends: an inbound text message, normalized by
 * Wharf's own code from a Meta-shaped delivery so it has exactly the shape real ones have. Its
 * ids are Meta's documentation placeholders and its key is unique per test, so a receiver that
 * de-duplicates never mistakes it for a real message.
 */
import type { AnyWharfEvent } from '../events/wharf-event.js';
import { normalizeDelivery } from '../core/normalize-delivery.js';
import type { ConversationMessage, ConversationView } from '../ports/conversation-store.js';

export function sampleEvent(now: number): AnyWharfEvent {
  const seconds = String(Math.floor(now / 1000));
  const [event] = normalizeDelivery({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '0',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550000000', phone_number_id: '0' },
              contacts: [{ profile: { name: 'Wharf test' }, wa_id: '15550000001' }],
              messages: [
                {
                  from: '15550000001',
                  id: `wamid.WHARF_TEST_${now}`,
                  timestamp: seconds,
                  type: 'text',
                  text: { body: 'A test event from Wharf: your destination is reachable.' },
                },
              ],
            },
          },
        ],
      },
    ],
  });
  return event as AnyWharfEvent;
}

/**
 * The conversation a `conversation` destination's test posts: the sample event's contact having
 * sent that one message, so the receiver sees every field of the real body.
 */
export function sampleConversation(event: AnyWharfEvent, now: number): ConversationView {
  const at = event.occurredAt ?? now;
  const message: ConversationMessage = {
    wamid: event.wamid ?? `wamid.WHARF_TEST_${now}`,
    direction: 'inbound',
    type: 'text',
    text: 'A test event from Wharf: your destination is reachable.',
    mediaId: null,
    mediaStored: false,
    status: null,
    failed: false,
    errors: [],
    at,
  };
  return {
    contactKey: `wa:${event.contact?.waId ?? ''}`,
    phoneNumberId: event.phoneNumberId ?? '0',
    contact: {
      waId: event.contact?.waId ?? null,
      userId: event.contact?.userId ?? null,
      username: null,
      name: event.contact?.name ?? null,
    },
    firstAt: at,
    lastActivityAt: at,
    lastInboundAt: at,
    inboundCount: 1,
    outboundCount: 0,
    lastUserMessage: message,
    lastBusinessMessage: null,
    latestMedia: null,
    recentMessages: [message],
    note: null,
    automationNotes: null,
    labels: [],
  };
}
