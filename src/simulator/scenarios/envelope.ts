import type { Business, Delivery, DeliveryChange, DeliveryEntry, Person, ScenarioContext } from './types.js';

/** Shared builders for Meta's envelope (Meta's docs on the webhook envelope) so every scenario file stays about its story. */

export function delivery(...entries: DeliveryEntry[]): Delivery {
  return { object: 'whatsapp_business_account', entry: entries };
}

/** `time` is an integer on management fields and usually absent on the messages family (Meta's docs on the webhook envelope). */
export function entry(business: Business, changes: DeliveryChange[], time?: number): DeliveryEntry {
  return time === undefined ? { id: business.wabaId, changes } : { id: business.wabaId, time, changes };
}

/** A `messages`-family change: `messaging_product` + `metadata` + the field's arrays (Meta's docs on the messages-family value). */
export function messagesChange(
  business: Business,
  value: Record<string, unknown>,
  field = 'messages',
): DeliveryChange {
  return {
    field,
    value: {
      messaging_product: 'whatsapp',
      metadata: {
        display_phone_number: business.displayPhoneNumber,
        phone_number_id: business.phoneNumberId,
      },
      ...value,
    },
  };
}

/** `contacts[]` item (Meta's docs on the contacts object); `withUsername: false` mirrors `sent` statuses, which omit it. */
export function contactOf(person: Person, withUsername = true): Record<string, unknown> {
  const profile: Record<string, string> = { name: person.name };
  if (withUsername && person.username !== undefined) profile['username'] = person.username;
  return {
    profile,
    ...(person.waId === undefined ? {} : { wa_id: person.waId }),
    user_id: person.userId,
    ...(person.parentUserId === undefined ? {} : { parent_user_id: person.parentUserId }),
  };
}

/** Message and status timestamps are strings of Unix seconds, as Meta sends them. */
export function ts(ctx: ScenarioContext, offsetSeconds: number): string {
  return String(ctx.now + offsetSeconds);
}

/** An inbound message from `person` (Meta's docs on common message keys): `from` only when the number is shared. */
export function inbound(
  ctx: ScenarioContext,
  person: Person,
  type: string,
  payload: unknown,
  offsetSeconds: number,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const message: Record<string, unknown> = {
    ...extra,
    ...(person.waId === undefined ? {} : { from: person.waId }),
    from_user_id: person.userId,
    ...(person.parentUserId === undefined ? {} : { from_parent_user_id: person.parentUserId }),
    id: ctx.ids.wamid(person.waId ?? ctx.business.displayPhoneNumber),
    timestamp: ts(ctx, offsetSeconds),
    type,
  };
  if (payload !== undefined) message[type] = payload;
  return message;
}

/** One inbound message in its own delivery, as Meta sends most of them. */
export function inboundDelivery(
  ctx: ScenarioContext,
  person: Person,
  message: Record<string, unknown>,
): Delivery {
  return delivery(
    entry(ctx.business, [
      messagesChange(ctx.business, { contacts: [contactOf(person)], messages: [message] }),
    ]),
  );
}
