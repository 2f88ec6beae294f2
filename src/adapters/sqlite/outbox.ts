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
import { openDatabase, type SqliteDatabase } from './open-database.js';
import { eventFromRow, type EventRow } from './event-from-row.js';
import { rawOfRows } from './raw-of-rows.js';
import { EMPTY_CLAIM, claimedRowsJson, type ClaimText } from './claimed-rows-json.js';
import { requeueDeliveries, type DeliverySelection } from './requeue-deliveries.js';
import { decodeCursor, pageOf } from '../../core/cursor.js';
import { OUTBOX_ROW_SELECT, toOutboxRow, type OutboxDbRow } from '../outbox-rows.js';

// order_at is set only on rows of targets that read it (migration 0017), which is what lets
// outbox_contact_order hold only those rows.
const HEAD_OF_CONTACT = `
  AND (o.contact_key IS NULL OR NOT EXISTS (SELECT 1 FROM outbox p WHERE p.target = o.target
    AND p.state = 'pending' AND p.contact_key = o.contact_key AND p.order_at IS NOT NULL
    AND (p.order_at < o.order_at OR (p.order_at = o.order_at AND p.id < o.id))))`;

/**
 * Rows answered by a conversation body that was sent: same target, contact and phone number as the
 * sent row, their event's wamid among the body's; a row another worker holds is left to finish.
 */
const SUPERSEDE = `UPDATE outbox AS o SET state = 'delivered', lease_owner = NULL, lease_until = NULL,
    updated_at = @now
  FROM (SELECT s.id AS sent_id, s.target, s.contact_key, e.phone_number_id, c.value ->> 'wamids' AS wamids
        FROM json_each(@covered) AS c JOIN outbox s ON s.id = c.value ->> 'sent'
        JOIN events e ON e.id = s.event_id) AS c
  WHERE o.target = c.target AND o.contact_key = c.contact_key AND o.state = 'pending'
    AND o.id <> c.sent_id AND (o.lease_owner IS NULL OR o.lease_until <= @now)
    AND EXISTS (SELECT 1 FROM events oe WHERE oe.id = o.event_id
      AND oe.phone_number_id IS c.phone_number_id
      AND oe.wamid IN (SELECT value FROM json_each(c.wamids)))`;

/** Ids travel as one JSON array parameter (json_each), so a batch is one statement whatever its size. */
const ids = (list: readonly string[]) => JSON.stringify(list.map(Number));

/**
 * SQLite outbox on its own connection. Writes are short IMMEDIATE transactions: the inbox writer
 * thread and the processor share the database, and busy_timeout queues us behind them.
 */
export class SqliteOutbox implements Outbox {
  private readonly db: SqliteDatabase;
  /** Claims and outcome marks, opened by the first of them: see OpenOptions.synchronous for why they need no fsync. */
  private dispatchConnection: SqliteDatabase | undefined;
  private readonly claimSql = new Map<string, string>();
  private readonly busyTimeoutMs: number;

  constructor(
    private readonly path: string,
    options: { busyTimeoutMs?: number } = {},
  ) {
    this.busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    this.db = openDatabase(path, { busyTimeoutMs: this.busyTimeoutMs });
  }

  private get dispatchDb(): SqliteDatabase {
    this.dispatchConnection ??= openDatabase(this.path, {
      busyTimeoutMs: this.busyTimeoutMs,
      synchronous: 'NORMAL',
    });
    return this.dispatchConnection;
  }

  async claimDue(req: ClaimRequest): Promise<readonly ClaimedRow[]> {
    const leased = this.lease(req);
    if (leased.length === 0) return [];
    const rows = this.dispatchDb
      .prepare(
        `SELECT o.id AS _o_id, o.target AS _o_target, o.attempts AS _o_attempts,
           o.last_delay_ms AS _o_last_delay_ms, e.*
         FROM outbox o JOIN events e ON e.id = o.event_id
         WHERE o.id IN (SELECT value FROM json_each(?)) ORDER BY o.id`,
      )
      .all(JSON.stringify(leased)) as EventRow[];
    const raws = rawOfRows(this.dispatchDb, rows);
    return rows.map((r) => ({
      id: String(r['_o_id']),
      target: r['_o_target'] as string,
      eventId: String(r['id']),
      attempts: r['_o_attempts'] as number,
      lastDelayMs: (r['_o_last_delay_ms'] as number | null) ?? null,
      event: eventFromRow(r, raws),
    }));
  }

  /**
   * claimDue as the JSON text of its rows, built by SQLite (claimed-rows-json.ts): what the dispatch
   * writer thread answers, so no event is rebuilt as objects and serialized again on that thread.
   */
  async claimDueAsJson(req: ClaimRequest): Promise<ClaimText> {
    const leased = this.lease(req);
    return leased.length === 0 ? EMPTY_CLAIM : claimedRowsJson(this.dispatchDb, leased);
  }

  /** Leases the due rows of a claim; their ids. */
  private lease(req: ClaimRequest): number[] {
    const wanted = req.perTarget.filter((t) => t.limit > 0);
    if (wanted.length === 0) return [];
    const until = req.now + req.leaseMs;
    const params: unknown[] = [req.workerId, until, until, req.now];
    for (const t of wanted) params.push(t.target, req.now, t.limit);
    // Nothing due (most wake-ups while events trickle in): no write transaction, so no wait for the
    // write lock the inbox writer and the processor take turns on. One index probe per target.
    const due = this.dispatchDb
      .prepare(
        `SELECT 1 FROM json_each(?) AS t WHERE EXISTS (SELECT 1 FROM outbox
           WHERE state = 'pending' AND target = t.value AND next_attempt_at <= ?)`,
      )
      .pluck()
      .get(JSON.stringify(wanted.map((t) => t.target)), req.now);
    if (due === undefined) return [];
    // Only the UPDATE holds the write lock the inbox writer waits for: the leased rows are ours
    // until the lease ends, so their events are read and decoded after the commit.
    const leased = this.dispatchDb
      .transaction(
        // Moving next_attempt_at to the lease end hides the row from other claimers until the
        // lease expires, with no extra predicate on the hot index (outbox_due_target).
        () =>
          this.dispatchDb
            .prepare(this.claimStatement(wanted.map((t) => t.ordering === 'contact')))
            .pluck()
            .all(...params) as number[],
      )
      .immediate();
    return leased;
  }

  /**
   * One UPDATE whose id set is the union of a per-target LIMIT: fair shares in one statement. An
   * ordered target takes a row only when no earlier pending row of its contact exists (leased rows
   * stay pending, so the head of a contact in flight or waiting for its retry holds the rest back).
   */
  private claimStatement(ordered: readonly boolean[]): string {
    const cacheKey = ordered.map((o) => (o ? 'c' : 'n')).join('');
    let sql = this.claimSql.get(cacheKey);
    if (sql) return sql;
    const one = (
      o: boolean,
    ) => `SELECT id FROM (SELECT id FROM outbox o WHERE state = 'pending' AND target = ?
      AND next_attempt_at <= ?${o ? HEAD_OF_CONTACT : ''} ORDER BY next_attempt_at, id LIMIT ?)`;
    sql = `UPDATE outbox SET lease_owner = ?, lease_until = ?, next_attempt_at = ?, updated_at = ?
      WHERE id IN (${ordered.map(one).join(' UNION ALL ')}) RETURNING id`;
    this.claimSql.set(cacheKey, sql);
    return sql;
  }

  async markDelivered(
    workerId: string,
    list: readonly string[],
    now: number,
    covered: readonly Coverage[] = [],
  ): Promise<void> {
    if (list.length === 0 && covered.length === 0) return;
    this.dispatchDb
      .transaction(() => {
        this.dispatchDb
          .prepare(
            `UPDATE outbox SET state = 'delivered', attempts = attempts + 1, lease_owner = NULL,
               lease_until = NULL, updated_at = ?
             WHERE id IN (SELECT value FROM json_each(?)) AND state = 'pending' AND lease_owner = ?`,
          )
          .run(now, ids(list), workerId);
        if (covered.length === 0) return;
        const batch = covered.map((c) => ({ sent: Number(c.rowId), wamids: c.wamids }));
        this.dispatchDb.prepare(SUPERSEDE).run({ now, covered: JSON.stringify(batch) });
      })
      .immediate();
  }

  async postpone(workerId: string, rows: readonly Postponement[], now: number): Promise<void> {
    if (rows.length === 0) return;
    const batch = JSON.stringify(rows.map((r) => ({ id: Number(r.id), until: r.until })));
    this.dispatchDb
      .prepare(
        `UPDATE outbox AS o SET next_attempt_at = p.until, lease_owner = NULL, lease_until = NULL,
           updated_at = @now
         FROM (SELECT value ->> 'id' AS id, value ->> 'until' AS until FROM json_each(@batch)) AS p
         WHERE o.id = p.id AND o.state = 'pending' AND o.lease_owner = @worker`,
      )
      .run({ now, batch, worker: workerId });
  }

  async markFailed(workerId: string, failures: readonly AttemptFailure[], now: number): Promise<void> {
    if (failures.length === 0) return;
    const batch = failures.map((f) => ({
      id: Number(f.id),
      dead: f.kind === 'dead' ? 1 : 0,
      at: f.kind === 'retry' ? f.retryAt : null,
      delay: f.kind === 'retry' ? f.delayMs : null,
      error: f.error,
    }));
    // A row whose lease this worker lost (expired, replayed) is not ours to update any more.
    this.dispatchDb
      .prepare(
        `UPDATE outbox AS o SET attempts = o.attempts + 1,
           state = CASE WHEN f.dead = 1 THEN 'dead' ELSE 'pending' END,
           next_attempt_at = COALESCE(f.at, o.next_attempt_at),
           last_delay_ms = COALESCE(f.delay, o.last_delay_ms),
           dead_at = CASE WHEN f.dead = 1 THEN @now ELSE NULL END,
           last_error = f.error, lease_owner = NULL, lease_until = NULL, updated_at = @now
         FROM (SELECT value ->> 'id' AS id, value ->> 'dead' AS dead, value ->> 'at' AS at,
                 value ->> 'delay' AS delay, value ->> 'error' AS error FROM json_each(@batch)) AS f
         WHERE o.id = f.id AND o.state = 'pending' AND o.lease_owner = @worker`,
      )
      .run({ now, batch: JSON.stringify(batch), worker: workerId });
  }

  async nextDueAt(targets: readonly string[]): Promise<number | null> {
    if (targets.length === 0) return null;
    // The minimum per target, each one index probe on outbox_due_target (target, next_attempt_at).
    const r = this.db
      .prepare(
        `SELECT min((SELECT min(next_attempt_at) FROM outbox WHERE state = 'pending' AND target = t.value))
         FROM json_each(?) AS t`,
      )
      .pluck()
      .get(JSON.stringify(targets)) as number | null;
    return r ?? null;
  }

  async listDeadLetters(q: DeadLetterQuery): Promise<DeadLetterPage> {
    const before = q.cursor ? Number(decodeCursor(q.cursor)) : Number.MAX_SAFE_INTEGER;
    if (!Number.isSafeInteger(before)) throw new RangeError('invalid cursor');
    const target = q.target ?? null;
    const rows = this.db
      .prepare(
        `${OUTBOX_ROW_SELECT} WHERE o.state = 'dead' AND o.id < ? AND (? IS NULL OR o.target = ?)
         ORDER BY o.id DESC LIMIT ?`,
      )
      .all(before, target, target, q.limit + 1) as OutboxDbRow[];
    const total = this.db
      .prepare(`SELECT count(*) FROM outbox WHERE state = 'dead' AND (? IS NULL OR target = ?)`)
      .pluck()
      .get(target, target) as number;
    return { ...pageOf(rows, q.limit, toOutboxRow), total };
  }

  async get(id: string): Promise<OutboxRow | null> {
    if (!/^\d+$/.test(id)) return null;
    const row = this.db.prepare(`${OUTBOX_ROW_SELECT} WHERE o.id = ?`).get(Number(id)) as
      OutboxDbRow | undefined;
    return row ? toOutboxRow(row) : null;
  }

  async replayDeadLetter(id: string, now: number): Promise<ReplayDeadLetterOutcome> {
    if (!/^\d+$/.test(id)) return { outcome: 'not_found' };
    return this.db
      .transaction((): ReplayDeadLetterOutcome => {
        const changed = this.db
          .prepare(
            `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?, dead_at = NULL,
               last_delay_ms = NULL, lease_owner = NULL, lease_until = NULL, updated_at = ?
             WHERE id = ? AND state = 'dead'`,
          )
          .run(now, now, Number(id)).changes;
        const row = this.db.prepare(`${OUTBOX_ROW_SELECT} WHERE o.id = ?`).get(Number(id)) as
          OutboxDbRow | undefined;
        if (!row) return { outcome: 'not_found' };
        return { outcome: changed === 1 ? 'replayed' : 'not_dead', row: toOutboxRow(row) };
      })
      .immediate();
  }

  async requeueForDeliveries(list: readonly string[], mode: ReplayMode, now: number): Promise<ReplaySummary> {
    const selection: DeliverySelection = { sql: 'SELECT value FROM json_each(?)', params: [ids(list)] };
    return requeueDeliveries(this.db, selection, mode, now);
  }

  async replayRange(from: number, to: number, mode: ReplayMode, now: number): Promise<ReplaySummary> {
    const selection: DeliverySelection = {
      sql: 'SELECT id FROM deliveries WHERE received_at >= ? AND received_at < ?',
      params: [from, to],
    };
    return requeueDeliveries(this.db, selection, mode, now);
  }

  async orphanTargets(known: readonly string[]): Promise<ReadonlyArray<{ target: string; pending: number }>> {
    return this.db
      .prepare(
        `SELECT target, count(*) AS pending FROM outbox WHERE state = 'pending'
           AND target NOT IN (SELECT value FROM json_each(?)) GROUP BY target ORDER BY target`,
      )
      .all(JSON.stringify(known)) as Array<{ target: string; pending: number }>;
  }

  async depth(): Promise<OutboxDepth> {
    const count = (state: string) =>
      this.db.prepare('SELECT count(*) FROM outbox WHERE state = ?').pluck().get(state) as number;
    return { pending: count('pending'), dead: count('dead') };
  }

  async close(): Promise<void> {
    this.dispatchConnection?.close();
    this.db.close();
  }
}
