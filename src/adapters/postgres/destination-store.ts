/**
 * PostgreSQL destination store: one statement (or one transaction) per call. Shares the pool
 * it is given, or owns one from `open`.
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
import type { PostgresDatabase } from './open-database.js';
import { eventFromRow, type EventRow } from './event-from-row.js';
import { classify } from './storage-error.js';
import {
  ATTEMPT_COLUMNS,
  DESTINATION_COLUMNS,
  OPERATIONAL_EVENT_COLUMNS,
  attemptValues,
  fieldColumns,
  operationalValues,
  toAttempt,
  toDestination,
  toSecrets,
  type DestinationDbRow,
} from '../destination-rows.js';

const isUniqueName = (err: unknown) =>
  typeof err === 'object' &&
  err !== null &&
  (err as { code?: string }).code === '23505' &&
  /destinations_name/.test(String((err as { constraint?: string }).constraint));

// The stream reads events by commit (migrations/postgres/0003): an event inserted here needs its
// event_commits row like a processing commit's, taken under the same lock (commit-batch.ts).
const COMMIT_SEQ = `WITH l AS MATERIALIZED (SELECT pg_advisory_xact_lock(hashtext('wharf.event_commits'), hashtext(current_schema())))
  INSERT INTO event_commits (xact_id) SELECT pg_current_xact_id() FROM l`;

export class PostgresDestinationStore implements DestinationStore {
  /** The pool is the process's one pool (open-storage.ts); close() leaves it to its owner. */
  constructor(private readonly db: PostgresDatabase) {}

  private async query(what: string, sql: string, params: unknown[] = []): Promise<DestinationDbRow[]> {
    try {
      return (await this.db.pool.query<DestinationDbRow>(sql, params)).rows;
    } catch (err) {
      if (isUniqueName(err)) throw err;
      throw classify(`destination store ${what} failed`, err);
    }
  }

  async create(d: NewDestination, now: number): Promise<Destination> {
    const cols = { id: d.id, ...fieldColumns(d), secret_current: d.secret, created_at: now, updated_at: now };
    const names = Object.keys(cols);
    try {
      const rows = await this.query(
        'create',
        `INSERT INTO destinations (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})
         RETURNING ${DESTINATION_COLUMNS}`,
        Object.values(cols),
      );
      return toDestination(rows[0] as DestinationDbRow);
    } catch (err) {
      if (isUniqueName(err)) throw new DestinationNameTaken(d.name);
      throw err;
    }
  }

  async list(): Promise<Destination[]> {
    const rows = await this.query(
      'list',
      `SELECT ${DESTINATION_COLUMNS} FROM destinations ORDER BY created_at, id`,
    );
    return rows.map(toDestination);
  }

  async get(id: string): Promise<Destination | null> {
    const rows = await this.query('get', `SELECT ${DESTINATION_COLUMNS} FROM destinations WHERE id = $1`, [
      id,
    ]);
    return rows[0] ? toDestination(rows[0]) : null;
  }

  async getByName(name: string): Promise<Destination | null> {
    const rows = await this.query('get', `SELECT ${DESTINATION_COLUMNS} FROM destinations WHERE name = $1`, [
      name,
    ]);
    return rows[0] ? toDestination(rows[0]) : null;
  }

  async update(id: string, patch: DestinationPatch, now: number): Promise<Destination | null> {
    const cols = { ...fieldColumns(patch), updated_at: now };
    const sets = Object.keys(cols).map((c, i) => `${c} = $${i + 2}`);
    try {
      const rows = await this.query(
        'update',
        `UPDATE destinations SET ${sets.join(', ')} WHERE id = $1 RETURNING ${DESTINATION_COLUMNS}`,
        [id, ...Object.values(cols)],
      );
      return rows[0] ? toDestination(rows[0]) : null;
    } catch (err) {
      if (isUniqueName(err) && patch.name !== undefined) throw new DestinationNameTaken(patch.name);
      throw err;
    }
  }

  async delete(id: string): Promise<boolean> {
    const rows = await this.query(
      'delete',
      `WITH o AS (DELETE FROM outbox WHERE target = $2), a AS (DELETE FROM destination_attempts WHERE destination_id = $1)
       DELETE FROM destinations WHERE id = $1 RETURNING id`,
      [id, `destination:${id}`],
    );
    return rows.length === 1;
  }

  async secrets(id: string): Promise<DestinationSecrets | null> {
    const rows = await this.query(
      'secrets',
      'SELECT secret_current, secret_previous, secret_previous_until FROM destinations WHERE id = $1',
      [id],
    );
    return rows[0] ? toSecrets(rows[0]) : null;
  }

  async rotateSecret(id: string, next: string, previousUntil: number, now: number): Promise<boolean> {
    const rows = await this.query(
      'rotate secret',
      `UPDATE destinations SET secret_previous = secret_current, secret_current = $2,
         secret_previous_until = $3, updated_at = $4 WHERE id = $1 RETURNING id`,
      [id, next, previousUntil, now],
    );
    return rows.length === 1;
  }

  async disable(id: string, reason: string, now: number): Promise<boolean> {
    const rows = await this.query(
      'disable',
      `UPDATE destinations SET enabled = false, disabled_reason = $2, updated_at = $3
       WHERE id = $1 AND enabled RETURNING id`,
      [id, reason, now],
    );
    return rows.length === 1;
  }

  async noteOutcomes(succeeded: readonly string[], failed: readonly string[], now: number): Promise<void> {
    if (failed.length === 0 && succeeded.length === 0) return;
    await this.query(
      'note outcomes',
      `WITH f AS (UPDATE destinations SET failing_since = $3 WHERE failing_since IS NULL AND id = ANY($2::text[]))
       UPDATE destinations SET failing_since = NULL, failing_notified_at = NULL
       WHERE failing_since IS NOT NULL AND id = ANY($1::text[])`,
      [succeeded, failed, now],
    );
  }

  async failing(): Promise<FailingDestination[]> {
    const rows = await this.query(
      'failing',
      `SELECT id, name, failing_since, failing_notified_at FROM destinations
       WHERE failing_since IS NOT NULL AND enabled ORDER BY failing_since, id`,
    );
    return rows.map((r) => ({
      id: String(r['id']),
      name: String(r['name']),
      failingSince: Number(r['failing_since']),
      notifiedAt: r['failing_notified_at'] === null ? null : Number(r['failing_notified_at']),
    }));
  }

  async markFailingNotified(id: string, at: number): Promise<void> {
    await this.query('mark notified', 'UPDATE destinations SET failing_notified_at = $2 WHERE id = $1', [
      id,
      at,
    ]);
  }

  async recordAttempts(attempts: readonly NewAttempt[]): Promise<void> {
    if (attempts.length === 0) return;
    const values = attempts.map(attemptValues);
    const column = (i: number) => values.map((v) => v[i]);
    await this.query(
      'record attempts',
      `INSERT INTO destination_attempts (${ATTEMPT_COLUMNS.replace(/^id,\s*/, '')})
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::int[], $6::bool[],
         $7::int[], $8::int[], $9::text[], $10::text[], $11::bigint[], $12::text[])`,
      Array.from({ length: 12 }, (_, i) => column(i)),
    );
  }

  async listAttempts(id: string, q: { limit: number; cursor?: string }): Promise<AttemptPage> {
    const before = q.cursor === undefined ? '9223372036854775807' : String(decodeIdCursor(q.cursor));
    const rows = await this.query(
      'list attempts',
      `SELECT ${ATTEMPT_COLUMNS} FROM destination_attempts WHERE destination_id = $1 AND id < $2::bigint
       ORDER BY id DESC LIMIT $3`,
      [id, before, q.limit + 1],
    );
    return pageOf(rows, q.limit, toAttempt);
  }

  async eventsBetween(
    from: number,
    to: number,
    afterId: string | null,
    limit: number,
  ): Promise<StoredEvent[]> {
    const rows = (await this.query(
      'events between',
      `SELECT * FROM events WHERE occurred_at >= $1 AND occurred_at < $2 AND id > $3 ORDER BY id LIMIT $4`,
      [from, to, afterId === null ? 0 : afterId, limit],
    )) as EventRow[];
    return rows.map((r) => ({ id: String(r['id']), event: eventFromRow(r) }));
  }

  async enqueue(target: string, eventIds: readonly string[], now: number): Promise<number> {
    if (eventIds.length === 0) return 0;
    const rows = await this.query(
      'enqueue',
      `INSERT INTO outbox (event_id, target, next_attempt_at, created_at, updated_at)
       SELECT unnest($1::bigint[]), $2, $3, $3, $3
       ON CONFLICT (event_id, target) DO UPDATE SET state = 'pending', attempts = 0,
         next_attempt_at = excluded.next_attempt_at, dead_at = NULL, last_delay_ms = NULL,
         last_error = NULL, lease_owner = NULL, lease_until = NULL, updated_at = excluded.updated_at
       RETURNING 1`,
      [eventIds, target, now],
    );
    return rows.length;
  }

  async requeueDead(target: string, from: number, to: number, now: number): Promise<number> {
    const rows = await this.query(
      'requeue dead',
      `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = $4, dead_at = NULL,
         last_delay_ms = NULL, lease_owner = NULL, lease_until = NULL, updated_at = $4
       WHERE target = $1 AND state = 'dead' AND event_id IN
         (SELECT id FROM events WHERE occurred_at >= $2 AND occurred_at < $3) RETURNING 1`,
      [target, from, to, now],
    );
    return rows.length;
  }

  async recordEvent(event: AnyWharfEvent, targets: readonly string[], now: number): Promise<string | null> {
    const client = await this.db.pool.connect().catch((err: unknown) => {
      throw classify('destination store record event failed', err);
    });
    try {
      await client.query('BEGIN');
      const ins = await client.query<{ id: string }>(
        `INSERT INTO events (${OPERATIONAL_EVENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (key) DO NOTHING RETURNING id::text`,
        operationalValues(event, now),
      );
      const id = ins.rows[0]?.id ?? null;
      if (id !== null) {
        await client.query(
          `INSERT INTO outbox (event_id, target, next_attempt_at, created_at, updated_at)
           SELECT $1, unnest($2::text[]), $3, $3, $3`,
          [id, targets, now],
        );
        await client.query(COMMIT_SEQ);
      }
      await client.query('COMMIT');
      return id;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw classify('destination store record event failed', err);
    } finally {
      client.release();
    }
  }

  async backlog(): Promise<ReadonlyArray<{ target: string; pending: number }>> {
    const rows = await this.query(
      'backlog',
      `SELECT target, count(*)::int AS pending FROM outbox WHERE state = 'pending'
         AND target >= 'destination:' AND target < 'destination;' GROUP BY target`,
    );
    return rows.map((r) => ({ target: String(r['target']), pending: Number(r['pending']) }));
  }

  async close(): Promise<void> {}
}
