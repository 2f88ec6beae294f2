/**
 * SQLite destination store on its own connection (short IMMEDIATE transactions; busy_timeout
 * queues them behind the inbox writer and the processor).
 */
import type { Destination, DestinationSecrets } from '../../core/destinations/destination.js';
import type { AnyWharfEvent } from '../../events/wharf-event.js';
import type { StoredEvent } from '../../ports/read-store.js';
import {
  DestinationNameTaken,
  type AttemptPage,
  type DestinationPatch,
  type DestinationStore,
  type FailingDestination,
  type NewAttempt,
  type NewDestination,
} from '../../ports/destination-store.js';
import { decodeIdCursor, pageOf } from '../../core/cursor.js';
import { openDatabase, type SqliteDatabase } from './open-database.js';
import { eventFromRow, type EventRow } from './event-from-row.js';
import { rawOfRows } from './raw-of-rows.js';
import {
  ATTEMPT_COLUMNS,
  DESTINATION_COLUMNS,
  OPERATIONAL_EVENT_COLUMNS,
  attemptValues,
  operationalValues,
  fieldColumns,
  toAttempt,
  toDestination,
  toSecrets,
  type DestinationDbRow,
} from '../destination-rows.js';

/** better-sqlite3 binds no booleans. */
const bind = (v: unknown) => (typeof v === 'boolean' ? (v ? 1 : 0) : v);
const isUniqueName = (err: unknown) =>
  err instanceof Error && /UNIQUE constraint failed: destinations\.name/.test(err.message);

export class SqliteDestinationStore implements DestinationStore {
  private readonly db: SqliteDatabase;

  /** `synchronous: 'NORMAL'` for the dispatch writer thread's attempt log (open-database.ts). */
  constructor(path: string, options: { busyTimeoutMs?: number; synchronous?: 'FULL' | 'NORMAL' } = {}) {
    this.db = openDatabase(path, {
      busyTimeoutMs: options.busyTimeoutMs ?? 5000,
      ...(options.synchronous ? { synchronous: options.synchronous } : {}),
    });
  }

  async create(d: NewDestination, now: number): Promise<Destination> {
    const cols = { id: d.id, ...fieldColumns(d), secret_current: d.secret, created_at: now, updated_at: now };
    const names = Object.keys(cols);
    try {
      this.db
        .prepare(`INSERT INTO destinations (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`)
        .run(...Object.values(cols).map(bind));
    } catch (err) {
      if (isUniqueName(err)) throw new DestinationNameTaken(d.name);
      throw err;
    }
    return (await this.get(d.id)) as Destination;
  }

  async list(): Promise<Destination[]> {
    const rows = this.db
      .prepare(`SELECT ${DESTINATION_COLUMNS} FROM destinations ORDER BY created_at, id`)
      .all() as DestinationDbRow[];
    return rows.map(toDestination);
  }

  async get(id: string): Promise<Destination | null> {
    const r = this.db.prepare(`SELECT ${DESTINATION_COLUMNS} FROM destinations WHERE id = ?`).get(id);
    return r ? toDestination(r as DestinationDbRow) : null;
  }

  async getByName(name: string): Promise<Destination | null> {
    const r = this.db.prepare(`SELECT ${DESTINATION_COLUMNS} FROM destinations WHERE name = ?`).get(name);
    return r ? toDestination(r as DestinationDbRow) : null;
  }

  async update(id: string, patch: DestinationPatch, now: number): Promise<Destination | null> {
    const cols = { ...fieldColumns(patch), updated_at: now };
    const sets = Object.keys(cols).map((c) => `${c} = ?`);
    try {
      const changed = this.db
        .prepare(`UPDATE destinations SET ${sets.join(', ')} WHERE id = ?`)
        .run(...Object.values(cols).map(bind), id).changes;
      if (changed === 0) return null;
    } catch (err) {
      if (isUniqueName(err) && patch.name !== undefined) throw new DestinationNameTaken(patch.name);
      throw err;
    }
    return this.get(id);
  }

  async delete(id: string): Promise<boolean> {
    return this.db
      .transaction(() => {
        this.db.prepare('DELETE FROM outbox WHERE target = ?').run(`destination:${id}`);
        this.db.prepare('DELETE FROM destination_attempts WHERE destination_id = ?').run(id);
        return this.db.prepare('DELETE FROM destinations WHERE id = ?').run(id).changes === 1;
      })
      .immediate();
  }

  async secrets(id: string): Promise<DestinationSecrets | null> {
    const r = this.db
      .prepare('SELECT secret_current, secret_previous, secret_previous_until FROM destinations WHERE id = ?')
      .get(id);
    return r ? toSecrets(r as DestinationDbRow) : null;
  }

  async rotateSecret(id: string, next: string, previousUntil: number, now: number): Promise<boolean> {
    return (
      this.db
        .prepare(
          `UPDATE destinations SET secret_previous = secret_current, secret_current = ?,
             secret_previous_until = ?, updated_at = ? WHERE id = ?`,
        )
        .run(next, previousUntil, now, id).changes === 1
    );
  }

  async disable(id: string, reason: string, now: number): Promise<boolean> {
    return (
      this.db
        .prepare(
          `UPDATE destinations SET enabled = 0, disabled_reason = ?, updated_at = ? WHERE id = ? AND enabled = 1`,
        )
        .run(reason, now, id).changes === 1
    );
  }

  async noteOutcomes(succeeded: readonly string[], failed: readonly string[], now: number): Promise<void> {
    this.db.transaction(() => {
      if (failed.length > 0)
        this.db
          .prepare(
            `UPDATE destinations SET failing_since = ? WHERE failing_since IS NULL
               AND id IN (SELECT value FROM json_each(?))`,
          )
          .run(now, JSON.stringify(failed));
      if (succeeded.length > 0)
        this.db
          .prepare(
            `UPDATE destinations SET failing_since = NULL, failing_notified_at = NULL
             WHERE failing_since IS NOT NULL AND id IN (SELECT value FROM json_each(?))`,
          )
          .run(JSON.stringify(succeeded));
    })();
  }

  async failing(): Promise<FailingDestination[]> {
    const rows = this.db
      .prepare(
        `SELECT id, name, failing_since, failing_notified_at FROM destinations
         WHERE failing_since IS NOT NULL AND enabled = 1 ORDER BY failing_since, id`,
      )
      .all() as DestinationDbRow[];
    return rows.map((r) => ({
      id: String(r['id']),
      name: String(r['name']),
      failingSince: Number(r['failing_since']),
      notifiedAt: r['failing_notified_at'] === null ? null : Number(r['failing_notified_at']),
    }));
  }

  async markFailingNotified(id: string, at: number): Promise<void> {
    this.db.prepare('UPDATE destinations SET failing_notified_at = ? WHERE id = ?').run(at, id);
  }

  async recordAttempts(attempts: readonly NewAttempt[]): Promise<void> {
    if (attempts.length === 0) return;
    this.insertAttempts(attemptRows(attempts));
  }

  /**
   * Attempts as attemptsJson made them: the dispatch writer thread gets one string per batch, not an
   * object per attempt to clone.
   */
  recordAttemptsJson(json: string): void {
    this.insertAttempts(JSON.parse(json) as unknown[][]);
  }

  /**
   * Each attempt's values in ATTEMPT_COLUMNS order, by one prepared statement per row in one
   * transaction: one INSERT … SELECT FROM json_each was twice as slow per row (each column extracted
   * from the JSON).
   */
  private insertAttempts(rows: readonly unknown[][]): void {
    const columns = ATTEMPT_COLUMNS.replace(/^id,\s*/, '');
    const insert = this.db.prepare(
      `INSERT INTO destination_attempts (${columns}) VALUES (${Array(12).fill('?').join(', ')})`,
    );
    this.db.transaction(() => {
      for (const values of rows) insert.run(...values);
    })();
  }

  async listAttempts(id: string, q: { limit: number; cursor?: string }): Promise<AttemptPage> {
    const before = q.cursor === undefined ? Number.MAX_SAFE_INTEGER : Number(decodeIdCursor(q.cursor));
    const rows = this.db
      .prepare(
        `SELECT ${ATTEMPT_COLUMNS} FROM destination_attempts WHERE destination_id = ? AND id < ?
         ORDER BY id DESC LIMIT ?`,
      )
      .all(id, before, q.limit + 1) as DestinationDbRow[];
    return pageOf(rows, q.limit, toAttempt);
  }

  async eventsBetween(
    from: number,
    to: number,
    afterId: string | null,
    limit: number,
  ): Promise<StoredEvent[]> {
    const rows = this.db
      .prepare(
        `SELECT * FROM events WHERE occurred_at >= ? AND occurred_at < ? AND id > ? ORDER BY id LIMIT ?`,
      )
      .all(from, to, afterId === null ? 0 : Number(afterId), limit) as EventRow[];
    const raws = rawOfRows(this.db, rows);
    return rows.map((r) => ({ id: String(r['id']), event: eventFromRow(r, raws) }));
  }

  async enqueue(target: string, eventIds: readonly string[], now: number): Promise<number> {
    if (eventIds.length === 0) return 0;
    return this.db
      .prepare(
        `INSERT INTO outbox (event_id, target, next_attempt_at, created_at, updated_at)
         SELECT value, ?, ?, ?, ? FROM json_each(?) WHERE true
         ON CONFLICT (event_id, target) DO UPDATE SET state = 'pending', attempts = 0,
           next_attempt_at = excluded.next_attempt_at, dead_at = NULL, last_delay_ms = NULL,
           last_error = NULL, lease_owner = NULL, lease_until = NULL, updated_at = excluded.updated_at`,
      )
      .run(target, now, now, now, JSON.stringify(eventIds.map(Number))).changes;
  }

  async requeueDead(target: string, from: number, to: number, now: number): Promise<number> {
    return this.db
      .prepare(
        `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?, dead_at = NULL,
           last_delay_ms = NULL, lease_owner = NULL, lease_until = NULL, updated_at = ?
         WHERE target = ? AND state = 'dead' AND event_id IN
           (SELECT id FROM events WHERE occurred_at >= ? AND occurred_at < ?)`,
      )
      .run(now, now, target, from, to).changes;
  }

  async recordEvent(event: AnyWharfEvent, targets: readonly string[], now: number): Promise<string | null> {
    return this.db
      .transaction(() => {
        const id = this.db
          .prepare(
            `INSERT INTO events (${OPERATIONAL_EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (key) DO NOTHING RETURNING id`,
          )
          .pluck()
          .get(...operationalValues(event, now)) as number | undefined;
        if (id === undefined) return null;
        const insert = this.db.prepare(
          `INSERT INTO outbox (event_id, target, next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
        );
        for (const t of targets) insert.run(id, t, now, now, now);
        return String(id);
      })
      .immediate();
  }

  async backlog(): Promise<ReadonlyArray<{ target: string; pending: number }>> {
    return this.db
      .prepare(
        `SELECT target, count(*) AS pending FROM outbox WHERE state = 'pending'
           AND target >= 'destination:' AND target < 'destination;' GROUP BY target`,
      )
      .all() as Array<{ target: string; pending: number }>;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/** Each attempt's values in ATTEMPT_COLUMNS order, bound for SQLite. */
const attemptRows = (attempts: readonly NewAttempt[]): unknown[][] =>
  attempts.map((a) => attemptValues(a).map(bind));

/** Attempts as one JSON array of their values in ATTEMPT_COLUMNS order (recordAttemptsJson). */
export function attemptsJson(attempts: readonly NewAttempt[]): string {
  return JSON.stringify(attemptRows(attempts));
}
