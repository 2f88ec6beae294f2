/** Outbound messages made from real-shaped events (fixtures → parse → normalize), for transport tests. */
import { randomBytes } from 'node:crypto';
import type { OutboundMessage } from '../../src/ports/destination-transport.js';
import type { AnyWharfEvent } from '../../src/events/wharf-event.js';
import { eventsOf } from './fixtures.js';

/** A fresh `whsec_<base64>` secret, as a destination holds. */
export function newSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** The first event of a fixture as an outbound message with a unique webhook id. */
export function outboundMessage(
  fixture = 'messages/text.json',
  overrides: Partial<OutboundMessage> = {},
): OutboundMessage {
  const event = eventsOf(fixture)[0] as AnyWharfEvent;
  return {
    id: `msg_${randomBytes(8).toString('hex')}`,
    eventKey: event.key,
    name: event.name,
    phoneNumberId: event.phoneNumberId ?? null,
    body: JSON.stringify({ name: event.name, key: event.key, data: event.data }),
    headers: {},
    event,
    ...overrides,
  };
}
