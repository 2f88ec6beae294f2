/**
 * The processor's one transaction per batch (design §1.3): events under their idempotency key (an
 * existing key changes nothing), their state changes and outbox rows, and the deliveries' marks.
 * Statements are prepared once per connection and reused for every batch.
 */
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './open-database.js';
import type {
  BatchResult,
  CommitOutcome,
  CommittedEvent,
  PreparedEvent,
} from '../../ports/processing-store.js';
import type { StateChange } from '../../core/state-change.js';
import { eventColumnValues } from '../state-columns.js';
import { createStateApplier } from './apply-state-changes.js';
import { idRuns } from '../../core/id-runs.js';

const INSERT_EVENT = `INSERT INTO events (key, name, field, occurred_at, waba_id, phone_number_id, display_phone_number,
    contact_wa_id, contact_user_id, contact_parent_user_id, contact_username, contact_name, wamid, data, raw,
    delivery_id, created_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`;

/** Rows per multi-row outbox INSERT (5 parameters each, far below SQLite's 32,766). */
const OUTBOX_CHUNK = 200;

export type CommitBatch = (result: BatchResult) => CommitOutcome;

export function createCommitBatch(db: SqliteDatabase): CommitBatch {
  const insertEvent = db.prepare(INSERT_EVENT);
  // Outbox rows go in multi-row INSERTs of up to OUTBOX_CHUNK rows: one statement call per chunk
  // instead of one per row (the per-call cost was most of an outbox row's CPU).
  const outboxStatements = new Map<number, Statement>();
  const outboxStatement = (rows: number): Statement => {
    let st = outboxStatements.get(rows);
    if (st === undefined) {
      st = db.prepare(
        `INSERT INTO outbox (event_id, target, next_attempt_at, created_at, updated_at)
         VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?)').join(', ')}
         ON CONFLICT (event_id, target) DO NOTHING`,
      );
      outboxStatements.set(rows, st);
    }
    return st;
  };
  /** `rows` alternates event id and target; returns the rows inserted. */
  function insertOutbox(rows: ReadonlyArray<number | string>, now: number): number {
    let inserted = 0;
    for (let i = 0; i < rows.length; i += OUTBOX_CHUNK * 2) {
      const chunk = rows.slice(i, i + OUTBOX_CHUNK * 2);
      const params: Array<number | string> = [];
      for (let j = 0; j < chunk.length; j += 2) params.push(chunk[j]!, chunk[j + 1]!, now, now, now);
      inserted += outboxStatement(chunk.length / 2).run(params).changes;
    }
    return inserted;
  }
  // By runs of consecutive ids (a batch is claimed in id order, so usually one run): one statement
  // per run instead of one per delivery. Leases are rows of delivery_leases (migration 0006).
  const markProcessed = db.prepare(
    `UPDATE deliveries SET state = 'processed', processed_at = ?, error = NULL WHERE id >= ? AND id <= ?`,
  );
  const dropLeases = db.prepare('DELETE FROM delivery_leases WHERE delivery_id >= ? AND delivery_id <= ?');
  const markInvalid = db.prepare(
    `UPDATE deliveries SET state = 'invalid', processed_at = ?, error = ? WHERE id = ?`,
  );
  // A delivery whose processing threw: counted, released, and given up on after maxAttempts so a
  // poison delivery never blocks the ones behind it.
  const markFailed = db.prepare(
    `UPDATE deliveries SET attempts = attempts + 1, error = @error,
       state = CASE WHEN attempts + 1 >= @max THEN 'invalid' ELSE 'pending' END,
       processed_at = CASE WHEN attempts + 1 >= @max THEN @now ELSE NULL END
     WHERE id = @id`,
  );
  const apply = createStateApplier(db);

  function insert(p: PreparedEvent, deliveryId: string, now: number): number | undefined {
    // run() and its change count, not RETURNING id: RETURNING buffers its rows in a temporary
    // table per statement, which measured a quarter of the processing CPU (docs/benchmarks.md).
    const r = insertEvent.run(...eventColumnValues(p.event, deliveryId), now);
    return r.changes === 0 ? undefined : Number(r.lastInsertRowid);
  }

  function run(result: BatchResult, seen: Set<string>): CommitOutcome {
    const { now } = result;
    const committed: CommittedEvent[] = [];
    // Applied together after the inserts: only new events count, and contacts merge first.
    const changes: StateChange[] = [];
    const outbox: Array<number | string> = [];
    let duplicates = 0;
    for (const d of result.processed) {
      for (const p of d.events) {
        // The same item twice in one batch (two deliveries carrying it) is one event.
        const id = seen.has(p.event.key) ? undefined : insert(p, d.deliveryId, now);
        seen.add(p.event.key);
        if (id === undefined) {
          duplicates++;
          continue;
        }
        for (const t of p.targets) outbox.push(id, t);
        for (const ch of p.changes) changes.push(ch);
        committed.push({ id: String(id), event: p.event, deliveryId: d.deliveryId });
      }
    }
    const outboxRows = insertOutbox(outbox, now);
    for (const [from, to] of idRuns(result.processed.map((d) => Number(d.deliveryId))))
      markProcessed.run(now, from, to);
    const done = [...result.processed, ...result.invalid, ...result.failed];
    for (const [from, to] of idRuns(done.map((d) => Number(d.deliveryId)))) dropLeases.run(from, to);
    apply.all(changes);
    for (const d of result.invalid) markInvalid.run(now, d.error, Number(d.deliveryId));
    for (const d of result.failed)
      markFailed.run({ id: Number(d.deliveryId), error: d.error, max: result.maxAttempts, now });
    return { committed, duplicates, outboxRows };
  }

  const tx = db.transaction((result: BatchResult) => run(result, new Set()));
  // BEGIN IMMEDIATE: take the write lock first so a busy database fails before any work, not midway.
  return (result) => tx.immediate(result);
}
