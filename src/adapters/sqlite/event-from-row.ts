import type { AnyWharfEvent, ContactIdentity } from '../../events/wharf-event.js';

/** An `events` row as stored by the processor (migrations/sqlite/0002_events_state.sql). */
export type EventRow = Record<string, unknown>;

/** `contact_wa_id` → `waId`: the contact columns mirror ContactIdentity in snake_case. */
const CONTACT_COLUMNS: ReadonlyArray<readonly [string, keyof ContactIdentity]> = [
  ['contact_wa_id', 'waId'],
  ['contact_user_id', 'userId'],
  ['contact_parent_user_id', 'parentUserId'],
  ['contact_username', 'username'],
  ['contact_name', 'name'],
];

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** JSON text columns; a value that no longer parses is handed over as the text rather than losing the event. */
function json(v: unknown): unknown {
  if (typeof v !== 'string') return v ?? null;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/**
 * Rebuilds the WharfEvent a handler receives from its stored row (the same shape the processor
 * derived). `raws`: the raw items of rows stored without theirs, read from their deliveries
 * (rawOfRows, raw-of-rows.ts).
 */
export function eventFromRow(row: EventRow, raws?: ReadonlyMap<EventRow, unknown>): AnyWharfEvent {
  const contact: Record<string, string> = {};
  for (const [column, field] of CONTACT_COLUMNS) {
    const v = text(row[column]);
    if (v !== undefined) contact[field] = v;
  }
  const phoneNumberId = text(row['phone_number_id']);
  const displayPhoneNumber = text(row['display_phone_number']);
  const wamid = text(row['wamid']);
  const occurred = row['occurred_at'];
  return {
    name: row['name'],
    key: row['key'],
    field: row['field'],
    occurredAt: typeof occurred === 'number' ? occurred : null,
    wabaId: text(row['waba_id']) ?? '',
    ...(phoneNumberId === undefined ? {} : { phoneNumberId }),
    ...(displayPhoneNumber === undefined ? {} : { displayPhoneNumber }),
    ...(Object.keys(contact).length === 0 ? {} : { contact }),
    ...(wamid === undefined ? {} : { wamid }),
    data: json(row['data']),
    raw: raws?.has(row) === true ? (raws.get(row) ?? null) : json(row['raw']),
  } as AnyWharfEvent;
}
