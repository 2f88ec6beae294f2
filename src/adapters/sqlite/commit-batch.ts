/**
 * The processor's one transaction per batch: events under their idempotency key (an
 * existing key changes nothing), their state changes and outbox rows, and the deliveries' marks.
 * Statements are prepared once per connection and reused for every batch.
 */
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './open-database.js';
import type { CommitIds, CommitRows, EncodedChange } from './commit-rows.js';
import { createStateApplier } from './apply-state-changes.js';
import { idRuns } from '../../core/id-runs.js';

const INSERT_EVENT = `INSERT INTO events (key, name, field, occurred_at, waba_id, phone_number_id, display_phone_number,
    contact_wa_id, contact_user_id, contact_parent_user_id, contact_username, contact_name, wamid, data, raw,
    delivery_id, raw_at, created_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`;

/** Rows per multi-row outbox INSERT (5 parameters each, far below SQLite's 32,766). */
const OUTBOX_CHUNK = 200;

export type CommitBatch = (rows: CommitRows) => CommitIds;

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
      // As arguments, not one array: better-sqlite3 reads an array's elements through the V8 API.
      inserted += outboxStatement(chunk.length / 2).run(...params).changes;
    }
    return inserted;
  }
  // Outcomes are rows of delivery_outcomes (migration 0008); the delivery rows, bodies included,
  // are never rewritten. By runs of consecutive ids (a batch is claimed in id order, so usually one
  // run): one statement per run instead of one per delivery. Leases are rows of delivery_leases
  // (migration 0006).
  const markProcessed = db.prepare(
    `INSERT INTO delivery_outcomes (delivery_id, state, processed_at)
     SELECT id, 'processed', ? FROM deliveries WHERE id >= ? AND id <= ?
     ON CONFLICT (delivery_id) DO UPDATE SET state = 'processed', processed_at = excluded.processed_at, error = NULL`,
  );
  const dropLeases = db.prepare('DELETE FROM delivery_leases WHERE delivery_id >= ? AND delivery_id <= ?');
  const markInvalid = db.prepare(
    `INSERT INTO delivery_outcomes (delivery_id, state, processed_at, error) VALUES (?, 'invalid', ?, ?)
     ON CONFLICT (delivery_id) DO UPDATE SET state = 'invalid', processed_at = excluded.processed_at,
       error = excluded.error`,
  );
  // A delivery whose processing threw: counted, released, and given up on after maxAttempts so a
  // poison delivery never blocks the ones behind it.
  const markFailed = db.prepare(
    `INSERT INTO delivery_outcomes (delivery_id, state, attempts, processed_at, error)
     VALUES (@id, CASE WHEN 1 >= @max THEN 'invalid' ELSE 'pending' END, 1,
       CASE WHEN 1 >= @max THEN @now ELSE NULL END, @error)
     ON CONFLICT (delivery_id) DO UPDATE SET attempts = attempts + 1, error = excluded.error,
       state = CASE WHEN attempts + 1 >= @max THEN 'invalid' ELSE 'pending' END,
       processed_at = CASE WHEN attempts + 1 >= @max THEN @now ELSE NULL END`,
  );
  // Past the deliveries that now have an outcome or a lease, up to the first one with neither (or
  // the newest delivery): the claim looks for never-processed deliveries above it, and finds a
  // leased one below it through its lease once that expires. With one worker this scans the ids of
  // the batch just settled; a batch leased by a worker that died does not hold it back.
  const advanceCursor = db.prepare(
    `UPDATE delivery_cursor SET outcomes_through = coalesce(
       (SELECT d.id - 1 FROM deliveries d WHERE d.id > outcomes_through
          AND NOT EXISTS (SELECT 1 FROM delivery_outcomes o WHERE o.delivery_id = d.id)
          AND NOT EXISTS (SELECT 1 FROM delivery_leases l WHERE l.delivery_id = d.id)
        ORDER BY d.id LIMIT 1),
       (SELECT max(id) FROM deliveries),
       outcomes_through)
     WHERE id = 1`,
  );
  const apply = createStateApplier(db);

  function run(b: CommitRows, seen: Set<string>): CommitIds {
    const { now } = b;
    const ids: number[] = [];
    // Applied together after the inserts: only new events count, and contacts merge first.
    const changes: EncodedChange[] = [];
    const outbox: Array<number | string> = [];
    let duplicates = 0;
    for (let e = 0; e < b.count; e++) {
      const v = b.values(e);
      const key = v[0] as string;
      let id = 0;
      // The same item twice in one batch (two deliveries carrying it) is one event.
      if (!seen.has(key)) {
        seen.add(key);
        // run() and its change count, not RETURNING id: RETURNING buffers its rows in a temporary
        // table per statement, which measured a quarter of the processing CPU (docs/benchmarks.md).
        const r = insertEvent.run(...v, now);
        if (r.changes !== 0) id = Number(r.lastInsertRowid);
      }
      ids.push(id);
      if (id === 0) {
        duplicates++;
        continue;
      }
      for (const t of b.targets(e)) outbox.push(id, t);
      for (const ch of b.changes(e)) changes.push(ch);
    }
    const outboxRows = insertOutbox(outbox, now);
    for (const [from, to] of idRuns(b.deliveries)) markProcessed.run(now, from, to);
    const done = [...b.deliveries, ...b.invalid.map((d) => d[0]), ...b.failed.map((d) => d[0])];
    for (const [from, to] of idRuns(done)) dropLeases.run(from, to);
    apply.all(changes);
    for (const [id, error] of b.invalid) markInvalid.run(id, now, error);
    for (const [id, error] of b.failed) markFailed.run({ id, error, max: b.maxAttempts, now });
    if (done.length > 0) advanceCursor.run();
    return { ids, duplicates, outboxRows };
  }

  const tx = db.transaction((rows: CommitRows) => run(rows, new Set()));
  // BEGIN IMMEDIATE: take the write lock first so a busy database fails before any work, not midway.
  return (rows) => tx.immediate(rows);
}
