import type { AnyWharfEvent, ContactIdentity } from '../../events/wharf-event.js';
import { rawTextOf, withRawText } from '../../events/raw-text.js';

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

/**
 * The event as eventFromRow gives it back once stored (eventColumnValues, src/adapters/state-columns.ts),
 * without the round trip: empty texts and empty contacts left out, no time as null, an absent `data`
 * or `raw` as null. The event itself when nothing differs (the usual case); `data` and `raw` are
 * kept as the processor made them (their JSON is what a read gives back).
 */
export function eventAsRead(e: AnyWharfEvent): AnyWharfEvent {
  // A `raw` still kept as its JSON text (committed-json.ts) is not parsed here, nor later by a frame.
  const rawText = rawTextOf(e);
  const c = e.contact;
  const contactAsRead = c === undefined || contactIsRead(c);
  if (
    contactAsRead &&
    (typeof e.occurredAt === 'number' ? !Number.isNaN(e.occurredAt) : e.occurredAt === null) &&
    text(e.wabaId) === e.wabaId &&
    optionalText(e.phoneNumberId) &&
    optionalText(e.displayPhoneNumber) &&
    optionalText(e.wamid) &&
    e.data !== undefined &&
    (rawText !== undefined || e.raw !== undefined)
  )
    return e;
  const contact: Record<string, string> = {};
  for (const [, field] of CONTACT_COLUMNS) {
    const v = text(c?.[field]);
    if (v !== undefined) contact[field] = v;
  }
  const phoneNumberId = text(e.phoneNumberId);
  const displayPhoneNumber = text(e.displayPhoneNumber);
  const wamid = text(e.wamid);
  const read = {
    name: e.name,
    key: e.key,
    field: e.field,
    occurredAt: typeof e.occurredAt === 'number' && !Number.isNaN(e.occurredAt) ? e.occurredAt : null,
    wabaId: text(e.wabaId) ?? '',
    ...(phoneNumberId === undefined ? {} : { phoneNumberId }),
    ...(displayPhoneNumber === undefined ? {} : { displayPhoneNumber }),
    ...(Object.keys(contact).length === 0 ? {} : { contact }),
    ...(wamid === undefined ? {} : { wamid }),
    data: e.data ?? null,
  };
  return (
    rawText === undefined ? { ...read, raw: e.raw ?? null } : withRawText(read, rawText)
  ) as AnyWharfEvent;
}

const optionalText = (v: unknown) => v === undefined || text(v) === v;

/** Every member it has a non-empty text, and at least one (else the read gives no contact). */
function contactIsRead(c: ContactIdentity): boolean {
  let any = false;
  for (const [, field] of CONTACT_COLUMNS) {
    const v = c[field];
    if (v === undefined) continue;
    if (text(v) !== v) return false;
    any = true;
  }
  return any;
}
