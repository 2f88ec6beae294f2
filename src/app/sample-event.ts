/**
 * The event `POST /api/v1/destinations/{id}/test` sends: an inbound text message, normalized by
 * Wharf's own code from a Meta-shaped delivery so it has exactly the shape real ones have. Its
 * ids are Meta's documentation placeholders and its key is unique per test, so a receiver that
 * de-duplicates never mistakes it for a real message.
 */
import type { AnyWharfEvent } from '../events/wharf-event.js';
import { normalizeDelivery } from '../core/normalize-delivery.js';

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
