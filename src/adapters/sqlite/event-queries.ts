/** Read side of the events table for the API: filtered pages (newest first) and the SSE tail. */
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './open-database.js';
import type { EventQuery, EventPage, EventPageQuery, StoredEvent } from '../../ports/read-store.js';
import { decodeIdCursor, pageOf } from '../../core/cursor.js';
import { eventFromRow, type EventRow } from './event-from-row.js';
import { rawOfRows } from './raw-of-rows.js';
import type { AnyWharfEvent } from '../../events/wharf-event.js';
import { namesWithPrefix } from '../../events/event-pattern.js';

const COLUMNS = `id, key, name, field, occurred_at, waba_id, phone_number_id, display_phone_number, contact_wa_id,
  contact_user_id, contact_parent_user_id, contact_username, contact_name, wamid, data, raw, delivery_id`;

/**
 * `wamid = ?` served by two indexes (migration 0004): status events through the unique key index
 * (their key starts with 'status:<wamid>:'; ';' is the character after ':'), every other event
 * with a wamid through the partial index events_wamid_other, whose WHERE term is repeated here
 * verbatim so SQLite can use it.
 */
const WAMID_CLAUSE = `((key >= ? AND key < ? AND wamid = ?)
  OR (wamid = ? AND NOT (substr(key, 1, length(wamid) + 8) = 'status:' || wamid || ':')))`;

/** WHERE clauses and parameters for the API filters; every clause can use an index. */
function where(f: EventQuery): { clauses: string[]; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  // A wamid matches a handful of events: with it, the other filters are checked row by row (`+col`
  // keeps SQLite from preferring their index over the wamid's prefix range, which it rates lower).
  const c = (col: string) => (f.wamid === undefined ? col : `+${col}`);
  if (f.name !== undefined) {
    const names = f.name.endsWith('.') ? namesWithPrefix(f.name) : [];
    if (names.length > 0) {
      // Prefix `status.` as the names of the list that start with it: each is an equality on the
      // name index, whose entries are (name, rowid), so `id > ?` (the stream's tail) is searched in
      // each name's entries, where a range of names is walked whole, however recent the id.
      clauses.push(`${c('name')} IN (${names.map(() => '?').join(', ')})`);
      params.push(...names);
    } else if (f.name.endsWith('.')) {
      // A prefix no listed name has (not one the API passes on): the range ('.' + 1 = '/').
      clauses.push(`${c('name')} >= ? AND ${c('name')} < ?`);
      params.push(f.name, f.name.slice(0, -1) + '/');
    } else {
      clauses.push(`${c('name')} = ?`);
      params.push(f.name);
    }
  }
  if (f.phoneNumberId !== undefined) {
    clauses.push(`${c('phone_number_id')} = ?`);
    params.push(f.phoneNumberId);
  }
  if (f.contact !== undefined) {
    clauses.push(`(${c('contact_wa_id')} = ? OR ${c('contact_user_id')} = ?)`);
    params.push(f.contact.replace(/^\+/, ''), f.contact);
  }
  if (f.wamid !== undefined) {
    clauses.push(WAMID_CLAUSE);
    params.push(`status:${f.wamid}:`, `status:${f.wamid};`, f.wamid, f.wamid);
  }
  if (f.since !== undefined) {
    clauses.push(`${c('occurred_at')} >= ?`);
    params.push(f.since);
  }
  return { clauses, params };
}

/**
 * The same filter as where(), on events in memory (the recent commits, read-store.ts), for the
 * filters that need no other table or index: by name only, or none. Null for any other.
 */
export function memoryFilter(f: EventQuery): ((event: AnyWharfEvent) => boolean) | null {
  if (!Object.entries(f).every(([key, value]) => key === 'name' || value === undefined)) return null;
  const name = f.name;
  if (name === undefined) return () => true;
  if (!name.endsWith('.')) return (e) => e.name === name;
  const end = name.slice(0, -1) + '/';
  return (e) => e.name >= name && e.name < end;
}

/** A statement and its parameters. */
export interface EventSql {
  readonly sql: string;
  readonly params: unknown[];
}

/**
 * The query of one page, newest first (its row past the page tells there is a next one). Exported so
 * test/integration/sqlite-event-filter-plans.test.ts can check every filter's plan uses an index.
 */
export function pageSql(q: EventPageQuery): EventSql {
  const { clauses, params } = where(q);
  if (q.cursor !== undefined) {
    // The same check as the deliveries' cursor (an id a table could hold), before any query.
    const before = Number(decodeIdCursor(q.cursor));
    if (!Number.isSafeInteger(before)) throw new RangeError('invalid cursor');
    clauses.push('id < ?');
    params.push(before);
  }
  const sql = `SELECT ${COLUMNS} FROM events ${clauses.length ? 'WHERE ' + clauses.join(' AND ') : ''}
      ORDER BY id DESC LIMIT ?`;
  return { sql, params: [...params, q.limit + 1] };
}

/** The query of the events after `afterId`, oldest first (the SSE tail). */
export function afterSql(afterId: string, f: EventQuery, limit: number): EventSql {
  const { clauses, params } = where(f);
  clauses.unshift('id > ?');
  const sql = `SELECT ${COLUMNS} FROM events WHERE ${clauses.join(' AND ')} ORDER BY id LIMIT ?`;
  return { sql, params: [Number(afterId), ...params, limit] };
}

/** Rows → stored events, the raw items of rows stored without theirs read from their deliveries. */
function toStored(db: SqliteDatabase, rows: EventRow[]): (row: EventRow) => StoredEvent {
  const raws = rawOfRows(db, rows);
  return (row) => ({ id: String(row['id']), event: eventFromRow(row, raws) });
}

export class EventQueries {
  private readonly cache = new Map<string, Statement>();
  constructor(private readonly db: SqliteDatabase) {}

  private stmt(sql: string): Statement {
    let s = this.cache.get(sql);
    if (s === undefined) {
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }

  /** Newest first; the cursor is the last id of the previous page. Throws RangeError on a bad cursor. */
  page(q: EventPageQuery): EventPage {
    const { sql, params } = pageSql(q);
    const rows = this.stmt(sql).all(...params) as EventRow[];
    // The row past the page only tells that there is a next page: its raw item is not needed.
    return pageOf(rows, q.limit, toStored(this.db, rows.slice(0, q.limit)));
  }

  /** Oldest first, after `afterId` (SSE resumes from Last-Event-ID). */
  after(afterId: string, f: EventQuery, limit: number): StoredEvent[] {
    const { sql, params } = afterSql(afterId, f, limit);
    const rows = this.stmt(sql).all(...params) as EventRow[];
    return rows.map(toStored(this.db, rows));
  }

  lastId(): string {
    return String(this.stmt('SELECT coalesce(max(id), 0) FROM events').pluck().get());
  }
}
