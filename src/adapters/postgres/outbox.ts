/**
 * PostgreSQL outbox. Any number of dispatcher processes share it: claims lock due rows with
 * `FOR UPDATE SKIP LOCKED` (a row one dispatcher is taking is skipped by the others, never waited
 * on), and outcomes are recorded only by the worker whose lease is current. One statement (or one
 * transaction) per call, whatever the number of rows. The pool belongs to the caller (open-storage.ts).
 */
import type {
  AttemptFailure,
  ClaimRequest,
  ClaimedRow,
  Coverage,
  DeadLetterPage,
  DeadLetterQuery,
  Outbox,
  OutboxDepth,
  OutboxRow,
  Postponement,
  ReplayDeadLetterOutcome,
  ReplayMode,
  ReplaySummary,
} from '../../ports/outbox.js';
import type { PostgresDatabase } from './open-database.js';
import { eventFromRow, type EventRow } from './event-from-row.js';
import { requeueDeliveries, type DeliverySelection } from './requeue-deliveries.js';
import { classify } from './storage-error.js';
import { decodeCursor, pageOf } from '../../core/cursor.js';
import { OUTBOX_ROW_SELECT, toOutboxRow, type OutboxDbRow } from '../outbox-rows.js';

// Each target takes at most its own limit (fair shares in one statement). Moving next_attempt_at
// to the lease end hides a leased row from other claimers until the lease expires. An ordered
// target takes only the head of each contact's queue: leased rows stay pending, so a contact whose
// head is in flight or waiting for a retry holds back its later rows and nobody else's.
const CLAIM = `
  WITH picked AS (
    SELECT p.id FROM unnest($1::text[], $2::int[], $6::bool[]) AS t(target, lim, ordered)
    CROSS JOIN LATERAL (
      SELECT id FROM outbox o WHERE state = 'pending' AND target = t.target AND next_attempt_at <= $3
        AND (NOT t.ordered OR o.contact_key IS NULL OR NOT EXISTS (SELECT 1 FROM outbox h
          WHERE h.target = o.target AND h.state = 'pending' AND h.contact_key = o.contact_key
            AND (h.order_at, h.id) < (o.order_at, o.id)))
      ORDER BY next_attempt_at, id LIMIT t.lim FOR UPDATE SKIP LOCKED
    ) p
  ), leased AS (
    UPDATE outbox o SET lease_owner = $4, lease_until = $5, next_attempt_at = $5, updated_at = $3
    FROM picked WHERE o.id = picked.id
    RETURNING o.id, o.target, o.attempts, o.last_delay_ms, o.event_id
  )
  SELECT l.id AS _o_id, l.target AS _o_target, l.attempts AS _o_attempts, l.last_delay_ms AS _o_last_delay_ms, e.*
  FROM leased l JOIN events e ON e.id = l.event_id ORDER BY l.id`;

// A row whose lease this worker lost (expired, replayed) is not ours to update any more.
const FAILED = `UPDATE outbox AS o SET attempts = o.attempts + 1,
    state = CASE WHEN f.dead THEN 'dead' ELSE 'pending' END,
    next_attempt_at = COALESCE(f.at, o.next_attempt_at),
    last_delay_ms = COALESCE(f.delay, o.last_delay_ms),
    dead_at = CASE WHEN f.dead THEN $6::bigint END,
    last_error = f.error, lease_owner = NULL, lease_until = NULL, updated_at = $6
  FROM unnest($1::bigint[], $2::bool[], $3::bigint[], $4::bigint[], $5::text[]) AS f(id, dead, at, delay, error)
  WHERE o.id = f.id AND o.state = 'pending' AND o.lease_owner = $7`;

// The sent rows, then the rows answered by a conversation body that was sent: same target, contact
// and phone number as the sent row, their event's wamid among the body's; a row another worker
// holds is left to finish.
const DELIVERED = `
  WITH sent AS (
    UPDATE outbox SET state = 'delivered', attempts = attempts + 1, lease_owner = NULL,
      lease_until = NULL, updated_at = $1
    WHERE id = ANY($2::bigint[]) AND state = 'pending' AND lease_owner = $3
    RETURNING id
  ), cover AS (
    SELECT s.id AS sent_id, s.target, s.contact_key, e.phone_number_id, c.wamids
    FROM jsonb_to_recordset($4::jsonb) AS c(sent bigint, wamids text[])
    JOIN outbox s ON s.id = c.sent JOIN events e ON e.id = s.event_id
  )
  UPDATE outbox o SET state = 'delivered', lease_owner = NULL, lease_until = NULL, updated_at = $1
  FROM cover c, events oe
  WHERE o.target = c.target AND o.contact_key = c.contact_key AND o.state = 'pending'
    AND o.id <> c.sent_id AND NOT (o.id = ANY($2::bigint[]))
    AND (o.lease_owner IS NULL OR o.lease_until <= $1)
    AND oe.id = o.event_id AND oe.phone_number_id IS NOT DISTINCT FROM c.phone_number_id
    AND oe.wamid = ANY(c.wamids)`;

const numericIds = (list: readonly string[]) => list.filter((id) => /^\d{1,18}$/.test(id)).map(Number);

export class PostgresOutbox implements Outbox {
  constructor(private readonly db: PostgresDatabase) {}

  private async query<R extends object>(what: string, sql: string, params: unknown[] = []) {
    try {
      return await this.db.pool.query<R>(sql, params);
    } catch (err) {
      throw classify(`outbox ${what} failed`, err);
    }
  }

  async claimDue(req: ClaimRequest): Promise<readonly ClaimedRow[]> {
    const wanted = req.perTarget.filter((t) => t.limit > 0);
    if (wanted.length === 0) return [];
    const until = req.now + req.leaseMs;
    const r = await this.query<EventRow>('claim', CLAIM, [
      wanted.map((t) => t.target),
      wanted.map((t) => t.limit),
      req.now,
      req.workerId,
      until,
      wanted.map((t) => t.ordering === 'contact'),
    ]);
    return r.rows.map((row) => ({
      id: String(row['_o_id']),
      target: row['_o_target'] as string,
      eventId: String(row['id']),
      attempts: row['_o_attempts'] as number,
      lastDelayMs: (row['_o_last_delay_ms'] as number | null) ?? null,
      event: eventFromRow(row),
    }));
  }

  async markDelivered(
    workerId: string,
    list: readonly string[],
    now: number,
    covered: readonly Coverage[] = [],
  ): Promise<void> {
    if (list.length === 0 && covered.length === 0) return;
    // One statement: the sent rows and the rows their bodies answered change together.
    await this.query('mark delivered', DELIVERED, [
      now,
      numericIds(list),
      workerId,
      JSON.stringify(covered.map((c) => ({ sent: Number(c.rowId), wamids: c.wamids }))),
    ]);
  }

  async postpone(workerId: string, rows: readonly Postponement[], now: number): Promise<void> {
    if (rows.length === 0) return;
    await this.query(
      'postpone',
      `UPDATE outbox AS o SET next_attempt_at = p.until, lease_owner = NULL, lease_until = NULL,
         updated_at = $3
       FROM unnest($1::bigint[], $2::bigint[]) AS p(id, until)
       WHERE o.id = p.id AND o.state = 'pending' AND o.lease_owner = $4`,
      [rows.map((r) => Number(r.id)), rows.map((r) => r.until), now, workerId],
    );
  }

  async markFailed(workerId: string, failures: readonly AttemptFailure[], now: number): Promise<void> {
    if (failures.length === 0) return;
    await this.query('mark failed', FAILED, [
      failures.map((f) => Number(f.id)),
      failures.map((f) => f.kind === 'dead'),
      failures.map((f) => (f.kind === 'retry' ? f.retryAt : null)),
      failures.map((f) => (f.kind === 'retry' ? f.delayMs : null)),
      failures.map((f) => f.error),
      now,
      workerId,
    ]);
  }

  async nextDueAt(targets: readonly string[]): Promise<number | null> {
    if (targets.length === 0) return null;
    const r = await this.query<{ at: number | null }>(
      'next due',
      `SELECT min(next_attempt_at) AS at FROM outbox WHERE state = 'pending' AND target = ANY($1::text[])`,
      [targets],
    );
    return r.rows[0]?.at ?? null;
  }

  async listDeadLetters(q: DeadLetterQuery): Promise<DeadLetterPage> {
    const before = q.cursor ? Number(decodeCursor(q.cursor)) : Number.MAX_SAFE_INTEGER;
    if (!Number.isSafeInteger(before)) throw new RangeError('invalid cursor');
    const target = q.target ?? null;
    const rows = await this.query<OutboxDbRow>(
      'dead letters',
      `${OUTBOX_ROW_SELECT} WHERE o.state = 'dead' AND o.id < $1 AND ($2::text IS NULL OR o.target = $2)
       ORDER BY o.id DESC LIMIT $3`,
      [before, target, q.limit + 1],
    );
    const total = await this.query<{ n: number }>(
      'dead letter count',
      `SELECT count(*)::int AS n FROM outbox WHERE state = 'dead' AND ($1::text IS NULL OR target = $1)`,
      [target],
    );
    return { ...pageOf(rows.rows, q.limit, toOutboxRow), total: total.rows[0]?.n ?? 0 };
  }

  async get(id: string): Promise<OutboxRow | null> {
    if (!/^\d{1,18}$/.test(id)) return null;
    const r = await this.query<OutboxDbRow>('read', `${OUTBOX_ROW_SELECT} WHERE o.id = $1`, [Number(id)]);
    return r.rows[0] ? toOutboxRow(r.rows[0]) : null;
  }

  async replayDeadLetter(id: string, now: number): Promise<ReplayDeadLetterOutcome> {
    if (!/^\d{1,18}$/.test(id)) return { outcome: 'not_found' };
    // One statement: the UPDATE's effect and the row as it is afterwards, atomically.
    const r = await this.query<OutboxDbRow & { replayed: boolean }>(
      'replay',
      `WITH up AS (
         UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = $2, dead_at = NULL,
           last_delay_ms = NULL, lease_owner = NULL, lease_until = NULL, updated_at = $2
         WHERE id = $1 AND state = 'dead'
         RETURNING id, event_id, target, state, attempts, next_attempt_at, last_error, dead_at, created_at, updated_at
       ), cur AS (
         SELECT u.*, true AS replayed FROM up u
         UNION ALL
         SELECT o.id, o.event_id, o.target, o.state, o.attempts, o.next_attempt_at, o.last_error, o.dead_at,
           o.created_at, o.updated_at, false FROM outbox o WHERE o.id = $1 AND NOT EXISTS (SELECT 1 FROM up)
       )
       SELECT cur.*, e.name AS event_name, e.key AS event_key FROM cur JOIN events e ON e.id = cur.event_id`,
      [Number(id), now],
    );
    const row = r.rows[0];
    if (!row) return { outcome: 'not_found' };
    return { outcome: row.replayed ? 'replayed' : 'not_dead', row: toOutboxRow(row) };
  }

  requeueForDeliveries(list: readonly string[], mode: ReplayMode, now: number): Promise<ReplaySummary> {
    return this.requeue(
      { sql: (n) => `SELECT unnest($${n}::bigint[])`, params: [numericIds(list)] },
      mode,
      now,
    );
  }

  replayRange(from: number, to: number, mode: ReplayMode, now: number): Promise<ReplaySummary> {
    const sql = (n: number) =>
      `SELECT id FROM deliveries WHERE received_at >= $${n} AND received_at < $${n + 1}`;
    return this.requeue({ sql, params: [from, to] }, mode, now);
  }

  private async requeue(selection: DeliverySelection, mode: ReplayMode, now: number): Promise<ReplaySummary> {
    let client;
    try {
      client = await this.db.pool.connect();
    } catch (err) {
      throw classify('outbox replay failed', err);
    }
    try {
      return await requeueDeliveries(client, selection, mode, now);
    } catch (err) {
      throw classify('outbox replay failed', err);
    } finally {
      client.release();
    }
  }

  async orphanTargets(known: readonly string[]): Promise<ReadonlyArray<{ target: string; pending: number }>> {
    const r = await this.query<{ target: string; pending: number }>(
      'orphans',
      `SELECT target, count(*)::int AS pending FROM outbox WHERE state = 'pending'
         AND NOT (target = ANY($1::text[])) GROUP BY target ORDER BY target`,
      [known],
    );
    return r.rows;
  }

  async depth(): Promise<OutboxDepth> {
    const r = await this.query<{ pending: number; dead: number }>(
      'depth',
      `SELECT count(*) FILTER (WHERE state = 'pending')::int AS pending,
              count(*) FILTER (WHERE state = 'dead')::int AS dead
       FROM outbox WHERE state IN ('pending', 'dead')`,
    );
    return { pending: r.rows[0]?.pending ?? 0, dead: r.rows[0]?.dead ?? 0 };
  }

  /** Nothing of its own to release: the pool is ended by whoever opened it. */
  async close(): Promise<void> {}
}
