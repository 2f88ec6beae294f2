/**
 * Format `meta`: a valid Meta webhook envelope holding only this event's item, so an
 * existing WhatsApp webhook app can sit behind Wharf unchanged. Pure.
 *
 * Items of a `value.<key>[]` array (messages, statuses, errors, echoes, calls, …) go back into that
 * array with the change's `metadata` and the item's `contacts` entry; management fields
 * (templates, account, quality, …) carry their value as it came. Items Meta nests deeper (history
 * threads, standby) are put under the field's own key, the closest shape a receiver reads.
 */
import { createHmac } from 'node:crypto';
import type { AnyWharfEvent, ContactIdentity } from '../../events/wharf-event.js';
import { EVENT_CATALOG } from '../../events/event-names.js';

const ARRAY_ITEM = /^value\.(\w+)\[\]$/;
const ITEM_KEY = new Map<string, string | null>(
  EVENT_CATALOG.map((e): [string, string | null] => {
    const m = ARRAY_ITEM.exec(e.item);
    return [e.name, m ? (m[1] as string) : null];
  }),
);
const MANAGEMENT = new Set<string>(
  EVENT_CATALOG.filter((e) => e.item === 'the change (one value)').map((e) => e.name),
);

function contactEntry(c: ContactIdentity): Record<string, unknown> {
  const profile = {
    ...(c.name === undefined ? {} : { name: c.name }),
    ...(c.username === undefined ? {} : { username: c.username }),
  };
  return {
    ...(Object.keys(profile).length > 0 ? { profile } : {}),
    ...(c.waId === undefined ? {} : { wa_id: c.waId }),
    ...(c.userId === undefined ? {} : { user_id: c.userId }),
    ...(c.parentUserId === undefined ? {} : { parent_user_id: c.parentUserId }),
  };
}

function changeValue(e: AnyWharfEvent): unknown {
  if (MANAGEMENT.has(e.name)) return e.raw;
  const key = ITEM_KEY.get(e.name) ?? e.field;
  return {
    messaging_product: 'whatsapp',
    metadata: {
      display_phone_number: e.displayPhoneNumber ?? '',
      phone_number_id: e.phoneNumberId ?? '',
    },
    // The contact joins the item by id (names, usernames, BSUIDs), as Meta sends it beside the item.
    ...(e.contact ? { contacts: [contactEntry(e.contact)] } : {}),
    [key]: [e.raw],
  };
}

/** The envelope of one event. */
export function metaEnvelope(e: AnyWharfEvent): unknown {
  // Management event keys include the entry's time (docs/events.md, Keys): give it back so they stay the same.
  const time = e.occurredAt === null ? undefined : Math.floor(e.occurredAt / 1000);
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: e.wabaId,
        ...(MANAGEMENT.has(e.name) && time !== undefined ? { time } : {}),
        changes: [{ field: e.field, value: changeValue(e) }],
      },
    ],
  };
}

/**
 * Body and headers of format `meta`: `X-Hub-Signature-256` is the HMAC-SHA256 of the exact body
 * with the destination's secret as the key, as Meta signs with the app secret, so a receiver
 * configured with that secret as its app secret verifies it with the code it already has.
 */
export function formatMeta(
  e: AnyWharfEvent,
  secret: string,
): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify(metaEnvelope(e));
  const hex = createHmac('sha256', secret).update(body).digest('hex');
  return { body, headers: { 'x-hub-signature-256': `sha256=${hex}` } };
}
