/**
 * The claimed rows' JSON text, as SqliteOutbox.claimDue would return them (the ClaimedRow objects
 * with their events, eventFromRow's shape), built by SQLite's JSON functions: the dispatch writer
 * thread hands this one string to the main thread (threaded-outbox.ts) without rebuilding each event
 * as objects and serializing it again (docs/benchmarks.md, "CPU per delivered event"). Only the `raw`
 * of events stored without it (raw-of-rows.ts) is serialized here, and appended to its event.
 */
import type { SqliteDatabase } from './open-database.js';
import type { EventRow } from './event-from-row.js';
import { rawOfRows } from './raw-of-rows.js';

/** A JSON text column as eventFromRow reads it: parsed when it parses, else kept as a string. */
const jsonColumn = (c: string) => `CASE WHEN json_valid(${c}) THEN json(${c}) ELSE json_quote(${c}) END`;
/** eventFromRow's text(): a non-empty string, else absent (a null member the merge patch drops). */
const text = (c: string) => `nullif(${c}, '')`;
const CONTACT = [
  ['waId', 'contact_wa_id'],
  ['userId', 'contact_user_id'],
  ['parentUserId', 'contact_parent_user_id'],
  ['username', 'contact_username'],
  ['name', 'contact_name'],
] as const;

// json_patch (RFC 7396) adds the members of its second object that are not null: the optional
// fields of the event are absent when empty, as eventFromRow leaves them out. `raw` comes last,
// appended by claimedRowsJson, so `event` must be the last member of the row.
const ROWS = `SELECT e.delivery_id, e.key, CASE WHEN e.raw IS NULL THEN NULL ELSE 1 END AS raw,
    CASE WHEN e.raw IS NULL THEN NULL ELSE ${jsonColumn('e.raw')} END AS raw_json,
    json_object('id', CAST(o.id AS TEXT), 'target', o.target, 'eventId', CAST(e.id AS TEXT),
      'attempts', o.attempts, 'lastDelayMs', o.last_delay_ms,
      'event', json_patch(
        json_object('name', e.name, 'key', e.key, 'field', e.field,
          'occurredAt', CASE WHEN typeof(e.occurred_at) IN ('integer', 'real') THEN e.occurred_at END,
          'wabaId', coalesce(${text('e.waba_id')}, ''), 'data', ${jsonColumn('e.data')}),
        json_object('phoneNumberId', ${text('e.phone_number_id')},
          'displayPhoneNumber', ${text('e.display_phone_number')},
          'contact', CASE WHEN coalesce(${CONTACT.map(([, c]) => text(`e.${c}`)).join(', ')}) IS NOT NULL
            THEN json_object(${CONTACT.map(([f, c]) => `'${f}', ${text(`e.${c}`)}`).join(', ')}) END,
          'wamid', ${text('e.wamid')}))) AS row_json
  FROM outbox o JOIN events e ON e.id = o.event_id
  WHERE o.id IN (SELECT value FROM json_each(?)) ORDER BY o.id`;

const statements = new WeakMap<SqliteDatabase, ReturnType<SqliteDatabase['prepare']>>();

/** The rows of these outbox ids, in id order, as one JSON array of ClaimedRow. */
export function claimedRowsJson(db: SqliteDatabase, ids: readonly number[]): string {
  let select = statements.get(db);
  if (select === undefined) statements.set(db, (select = db.prepare(ROWS)));
  const rows = select.all(JSON.stringify(ids)) as EventRow[];
  const raws = rawOfRows(db, rows);
  const parts = rows.map((r) => {
    const row = r['row_json'] as string;
    const raw = (r['raw_json'] as string | null) ?? JSON.stringify(raws.get(r) ?? null);
    // `…"event":{…}}`: the event's members end two characters before the row's end.
    return `${row.slice(0, -2)},"raw":${raw}}}`;
  });
  return `[${parts.join(',')}]`;
}
