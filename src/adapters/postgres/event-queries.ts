/** Read side of the events table for the API: filtered pages (newest first) and the SSE tail. */
import type { PostgresDatabase } from './open-database.js';
import type { EventQuery, EventPage, EventPageQuery, StoredEvent } from '../../ports/read-store.js';
import { decodeIdCursor, pageOf } from '../../core/cursor.js';
import { eventFromRow, type EventRow } from './event-from-row.js';
import { classify } from './storage-error.js';

const COLUMNS = `id, key, name, field, occurred_at, waba_id, phone_number_id, display_phone_number, contact_wa_id,
  contact_user_id, contact_parent_user_id, contact_username, contact_name, wamid, data, raw`;

/** WHERE clauses for the API filters; every clause can use an index. */
function where(f: EventQuery, params: unknown[]): string[] {
  const clauses: string[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (f.name !== undefined) {
    // Prefix `status.` as a range ('.' + 1 = '/'), so the name index (COLLATE "C") serves it.
    if (f.name.endsWith('.')) clauses.push(`name >= ${p(f.name)} AND name < ${p(f.name.slice(0, -1) + '/')}`);
    else clauses.push(`name = ${p(f.name)}`);
  }
  if (f.phoneNumberId !== undefined) clauses.push(`phone_number_id = ${p(f.phoneNumberId)}`);
  if (f.contact !== undefined)
    clauses.push(`(contact_wa_id = ${p(f.contact.replace(/^\+/, ''))} OR contact_user_id = ${p(f.contact)})`);
  if (f.wamid !== undefined) clauses.push(`wamid = ${p(f.wamid)}`);
  if (f.since !== undefined) clauses.push(`occurred_at >= ${p(f.since)}`);
  return clauses;
}

const toStored = (row: EventRow): StoredEvent => ({ id: String(row['id']), event: eventFromRow(row) });

export class EventQueries {
  constructor(private readonly db: PostgresDatabase) {}

  private async rows(sql: string, params: unknown[]): Promise<EventRow[]> {
    try {
      return (await this.db.pool.query<EventRow>(sql, params)).rows;
    } catch (err) {
      throw classify('events read failed', err);
    }
  }

  /** Newest first; the cursor is the last id of the previous page. Throws RangeError on a bad cursor. */
  async page(q: EventPageQuery): Promise<EventPage> {
    const params: unknown[] = [];
    const clauses = where(q, params);
    if (q.cursor !== undefined) {
      // The same check as the deliveries' cursor (an id a table could hold), before any query.
      const before = Number(decodeIdCursor(q.cursor));
      if (!Number.isSafeInteger(before)) throw new RangeError('invalid cursor');
      params.push(before);
      clauses.push(`id < $${params.length}`);
    }
    params.push(q.limit + 1);
    const rows = await this.rows(
      `SELECT ${COLUMNS} FROM events ${clauses.length ? 'WHERE ' + clauses.join(' AND ') : ''}
       ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return pageOf(rows, q.limit, toStored);
  }

  /**
   * In commit order after the event `afterId` (SSE resumes from Last-Event-ID): by (commit seq, id),
   * not by id, which concurrent workers take in another order than they commit (commit-batch.ts,
   * COMMIT_SEQ). An id that names no event (0, or one an insert conflict used up) resumes after
   * the nearest event below it.
   */
  async after(afterId: string, f: EventQuery, limit: number): Promise<StoredEvent[]> {
    const params: unknown[] = [Number(afterId)];
    const clauses = ['c.seq >= (SELECT seq FROM cursor)', '(c.seq, e.id) > ((SELECT seq FROM cursor), $1)'];
    clauses.push(...where(f, params));
    params.push(limit);
    const rows = await this.rows(
      `WITH cursor AS (SELECT coalesce((SELECT c.seq FROM events e JOIN event_commits c ON c.xact_id = e.xact_id
                         WHERE e.id <= $1 ORDER BY e.id DESC LIMIT 1), -1) AS seq)
       SELECT ${COLUMNS.replace(/^id,/, 'e.id,')} FROM event_commits c JOIN events e ON e.xact_id = c.xact_id
       WHERE ${clauses.join(' AND ')} ORDER BY c.seq, e.id LIMIT $${params.length}`,
      params,
    );
    return rows.map(toStored);
  }

  /** The last event in commit order: a stream starting from it misses no commit still in flight. */
  async lastId(): Promise<string> {
    const rows = await this.rows(
      `SELECT coalesce(max(id), 0) AS id FROM events
       WHERE xact_id = (SELECT xact_id FROM event_commits ORDER BY seq DESC LIMIT 1)`,
      [],
    );
    return String(rows[0]?.['id'] ?? 0);
  }
}
