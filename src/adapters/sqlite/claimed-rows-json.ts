/**
 * The claimed rows' JSON text, as SqliteOutbox.claimDue would return them (the ClaimedRow objects
 * with their events, eventFromRow's shape), written by SQLite: the dispatch writer thread hands this
 * text to the main thread (threaded-outbox.ts) without rebuilding each event as objects and
 * serializing it again (docs/benchmarks.md, "CPU per delivered event"). Each row's JSON is
 * concatenated from its columns (json_quote of each value, a JSON column spliced in when it is valid
 * JSON text): json_object and json_patch built a JSON tree per row and rendered it again, a third of
 * the thread's time per claimed row. Each event's `raw` comes beside the rows, as its JSON text in
 * an array of strings (only the `raw` of events stored without it, raw-of-rows.ts, is serialized
 * here): parseClaimedRows leaves it text until read (raw-text.ts), a format `event` body splices it
 * in as it is, and it is never escaped into the rows' JSON and unescaped again.
 */
import type { ClaimedRow } from '../../ports/outbox.js';
import { withRawText } from '../../events/raw-text.js';
import type { SqliteDatabase } from './open-database.js';
import type { EventRow } from './event-from-row.js';
import { rawOfRows } from './raw-of-rows.js';

/** A claim as it crosses threads: the rows' JSON array, and the JSON text of each row's raw. */
export interface ClaimText {
  readonly rows: string;
  readonly raws: readonly string[];
}

export const EMPTY_CLAIM: ClaimText = { rows: '[]', raws: [] };

/**
 * A JSON text column as eventFromRow reads it: parsed when it parses, else kept as a string. Valid
 * text (json_valid is RFC 8259 by default) goes in as stored, the same value JSON.parse reads.
 */
const jsonColumn = (c: string) => `CASE WHEN json_valid(${c}) THEN ${c} ELSE json_quote(${c}) END`;
/** eventFromRow's text(): a non-empty string, else absent. */
const text = (c: string) => `nullif(${c}, '')`;
/** `,"name":<value>` when the column is a non-empty string, else nothing (the member is absent). */
const optional = (name: string, c: string) =>
  `CASE WHEN ${text(c)} IS NULL THEN '' ELSE ',"${name}":' || json_quote(${c}) END`;
const CONTACT = [
  ['waId', 'contact_wa_id'],
  ['userId', 'contact_user_id'],
  ['parentUserId', 'contact_parent_user_id'],
  ['username', 'contact_username'],
  ['name', 'contact_name'],
] as const;

// Members in eventFromRow's order; the optional ones only when present, as eventFromRow leaves
// them out. `raw` is not in it: claimedRowsJson pairs each row with the text of its raw.
const ROW_JSON = `'{"id":"' || o.id || '","target":' || json_quote(o.target)
  || ',"eventId":"' || e.id || '","attempts":' || json_quote(o.attempts)
  || ',"lastDelayMs":' || json_quote(o.last_delay_ms)
  || ',"event":{"name":' || json_quote(e.name) || ',"key":' || json_quote(e.key)
  || ',"field":' || json_quote(e.field)
  || ',"occurredAt":' || json_quote(CASE WHEN typeof(e.occurred_at) IN ('integer', 'real') THEN e.occurred_at END)
  || ',"wabaId":' || json_quote(coalesce(${text('e.waba_id')}, ''))
  || ',"data":' || ${jsonColumn('e.data')}
  || ${optional('phoneNumberId', 'e.phone_number_id')}
  || ${optional('displayPhoneNumber', 'e.display_phone_number')}
  || CASE WHEN coalesce(${CONTACT.map(([, c]) => text(`e.${c}`)).join(', ')}) IS NULL THEN ''
     ELSE ',"contact":{' || substr(${CONTACT.map(([f, c]) => optional(f, `e.${c}`)).join(' || ')}, 2) || '}' END
  || ${optional('wamid', 'e.wamid')} || '}}'`;

// An event stored without its raw has the item's path in its delivery body (raw_at,
// src/core/item-paths.ts): `->` gives the item's minified text as the body spells it. The body
// parsed as JSON when it was processed; json_valid keeps one that SQLite would not read (`->` would
// fail the whole claim) on the way it was read before (raw-of-rows.ts). Consecutive rows of one
// delivery share one parse of its body (SQLite keeps recent JSON parses for the statement).
const ROWS = `SELECT e.delivery_id, e.key, NULL AS raw,
    CASE WHEN e.raw IS NOT NULL THEN ${jsonColumn('e.raw')}
      WHEN d.body IS NOT NULL AND json_valid(CAST(d.body AS TEXT)) THEN CAST(d.body AS TEXT) -> e.raw_at
    END AS raw_json,
    ${ROW_JSON} AS row_json
  FROM outbox o JOIN events e ON e.id = o.event_id
    LEFT JOIN deliveries d ON d.id = e.delivery_id AND e.raw IS NULL AND e.raw_at IS NOT NULL
  WHERE o.id IN (SELECT value FROM json_each(?)) ORDER BY o.id`;

const statements = new WeakMap<SqliteDatabase, ReturnType<SqliteDatabase['prepare']>>();

/**
 * The rows of these outbox ids, in id order: their JSON array (each ClaimedRow without its event's
 * `raw`), and the JSON text of each row's raw in the same order (parseClaimedRows makes the rows).
 */
export function claimedRowsJson(db: SqliteDatabase, ids: readonly number[]): ClaimText {
  let select = statements.get(db);
  if (select === undefined) statements.set(db, (select = db.prepare(ROWS)));
  const rows = select.all(JSON.stringify(ids)) as EventRow[];
  // The rows whose raw neither the row nor the path gave (older rows): their deliveries normalized.
  const found = rawOfRows(
    db,
    rows.filter((r) => r['raw_json'] === null),
  );
  const raws = new Array<string>(rows.length);
  let json = '[';
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as EventRow;
    json += i === 0 ? (r['row_json'] as string) : `,${r['row_json'] as string}`;
    raws[i] = (r['raw_json'] as string | null) ?? JSON.stringify(found.get(r) ?? null);
  }
  return { rows: `${json}]`, raws };
}

/** The rows of claimedRowsJson's text, each event's `raw` parsed when first read (raw-text.ts). */
export function parseClaimedRows(claim: ClaimText): ClaimedRow[] {
  const rows = JSON.parse(claim.rows) as ClaimedRow[];
  for (let i = 0; i < rows.length; i++) withRawText((rows[i] as ClaimedRow).event, claim.raws[i] ?? 'null');
  return rows;
}
