/**
 * Wharf's own events built as WharfEvents, so they are stored, listed and delivered
 * like Meta's. Pure. Keys make each happening one event, whichever process notices it first.
 */
import type { WharfEvent } from '../../events/wharf-event.js';
import type { EventDataMap } from '../../events/event-data.js';

type OperationalName =
  'wharf.destination.failing' | 'wharf.destination.disabled' | 'wharf.dead_letter' | 'wharf.send.refused';

function operational<N extends OperationalName>(
  name: N,
  key: string,
  at: number,
  data: EventDataMap[N],
): WharfEvent<N> {
  return { name, key: `${name}:${key}`, field: 'wharf', occurredAt: at, wabaId: '', data, raw: null };
}

export const destinationFailingEvent = (d: EventDataMap['wharf.destination.failing'], at: number) =>
  operational('wharf.destination.failing', `${d.destinationId}:${d.failingSince}`, at, d);

export const destinationDisabledEvent = (d: EventDataMap['wharf.destination.disabled'], at: number) =>
  operational('wharf.destination.disabled', `${d.destinationId}:${at}`, at, d);

export const deadLetterEvent = (d: EventDataMap['wharf.dead_letter'], at: number) =>
  operational('wharf.dead_letter', `${d.outboxId}:${at}`, at, d);

/**
 * A send refused by a guard, one event per refused send. It carries the number and the contact so
 * destination filters on `phone_number_ids` and the events API's `contact` find it.
 */
export function sendRefusedEvent(
  d: EventDataMap['wharf.send.refused'],
  sendKey: string,
  contact: { readonly waId?: string; readonly userId?: string },
  at: number,
): WharfEvent<'wharf.send.refused'> {
  return { ...operational('wharf.send.refused', sendKey, at, d), phoneNumberId: d.phoneNumberId, contact };
}
