/** A SQLite processing store on a temp file, fed deliveries directly (no HTTP), with a state snapshot. */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { openDatabase, type SqliteDatabase } from '../../src/adapters/sqlite/open-database.js';
import { migrate } from '../../src/adapters/sqlite/migrate.js';
import { SqliteProcessingStore } from '../../src/adapters/sqlite/processing-store.js';
import { SqliteReadStore } from '../../src/adapters/sqlite/read-store.js';
import { CommitNotices } from '../../src/adapters/sqlite/commit-notices.js';
import { processBatch, type BatchStats } from '../../src/app/process-batch.js';
import type { OutboxTarget } from '../../src/ports/outbox-target.js';
import { tempDir } from './temp-dir.js';

let seq = 0;

export interface Harness {
  readonly db: SqliteDatabase;
  readonly store: SqliteProcessingStore;
  /** Reads what `store` wrote (the API's port). */
  readonly reads: SqliteReadStore;
  readonly path: string;
  /** Stores a delivery; a second copy of the same body is stored as another delivery (as a retry with other bytes would be). */
  add(body: string | Uint8Array): number;
  /** Runs batches of `limit` until nothing is left; returns every batch's stats. */
  drain(limit?: number, targets?: ReadonlyArray<OutboxTarget>, maxAttempts?: number): Promise<BatchStats[]>;
  /** Every state table and the events, without ids or times of processing. */
  snapshot(): Record<string, unknown[]>;
  close(): Promise<void>;
}

/**
 * Tables and the columns that identify state (ids, delivery ids and processing times are left out).
 * Plain SQL that runs on SQLite and PostgreSQL alike. Not the events' `raw` column: SQLite leaves it
 * NULL and reads the item from the delivery (src/adapters/sqlite/raw-of-rows.ts); that both answer
 * the same raw items is pinned through the read port (test/conformance/processing-store.conformance.ts).
 */
export const SNAPSHOT: Record<string, string> = {
  events: `SELECT key, name, field, occurred_at, waba_id, phone_number_id, contact_wa_id, contact_user_id,
    contact_parent_user_id, contact_username, contact_name, wamid, data FROM events ORDER BY key`,
  contacts: 'SELECT * FROM contacts ORDER BY id',
  messages: 'SELECT * FROM messages ORDER BY phone_number_id, wamid',
  message_errors: 'SELECT * FROM message_errors ORDER BY event_key, idx',
  templates: 'SELECT * FROM templates ORDER BY template_key',
  template_history: 'SELECT * FROM template_history ORDER BY event_key',
  phone_numbers: 'SELECT * FROM phone_numbers ORDER BY phone_key',
  account_state: 'SELECT * FROM account_state ORDER BY waba_id, aspect',
  conversations: 'SELECT * FROM conversations ORDER BY phone_number_id, contact_key',
  conversation_messages: 'SELECT * FROM conversation_messages ORDER BY phone_number_id, contact_key, wamid',
  outbox: `SELECT e.key, o.target, o.state FROM outbox o JOIN events e ON e.id = o.event_id ORDER BY e.key, o.target`,
};

export function snapshotState(db: SqliteDatabase): Record<string, unknown[]> {
  return Object.fromEntries(Object.entries(SNAPSHOT).map(([t, sql]) => [t, db.prepare(sql).all()]));
}

/**
 * A delivery's processing state as the inbox lists it (src/adapters/sqlite/inbox.ts): its outcome
 * row (migration 0008) when final, else 'processing' while leased (migration 0006), else 'pending'.
 */
export function deliveryState(
  db: SqliteDatabase,
  id: number,
): { state: string; attempts: number; error: string | null } | undefined {
  return db
    .prepare(
      `SELECT CASE WHEN o.state IN ('processed', 'invalid') THEN o.state
         WHEN EXISTS (SELECT 1 FROM delivery_leases l WHERE l.delivery_id = d.id) THEN 'processing'
         ELSE 'pending' END AS state, coalesce(o.attempts, 0) AS attempts, o.error
       FROM deliveries d LEFT JOIN delivery_outcomes o ON o.delivery_id = d.id WHERE d.id = ?`,
    )
    .get(id) as { state: string; attempts: number; error: string | null } | undefined;
}

/**
 * Puts a stored delivery in a processing state directly, as the processor would leave it:
 * 'processed' / 'invalid' an outcome row, 'processing' a lease row, 'pending' nothing.
 */
export function setDeliveryState(db: SqliteDatabase, id: number, state: string, at: number): void {
  if (state === 'processed' || state === 'invalid')
    db.prepare(`INSERT INTO delivery_outcomes (delivery_id, state, processed_at) VALUES (?, ?, ?)`).run(
      id,
      state,
      at,
    );
  else if (state === 'processing')
    db.prepare(`INSERT INTO delivery_leases (delivery_id, owner, until) VALUES (?, 'elsewhere', ?)`).run(
      id,
      at + 60_000,
    );
  else if (state !== 'pending') throw new Error(`unknown delivery state ${state}`);
}

export function insertDelivery(
  db: SqliteDatabase,
  body: string | Uint8Array,
  receivedAt = Date.now(),
): number {
  const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
  const hash = createHash('sha256').update(bytes).update(String(++seq)).digest('hex');
  return Number(
    db
      .prepare(
        `INSERT INTO deliveries (received_at, body_hash, body, size, secret_index, request_id) VALUES (?, ?, ?, ?, 0, 'test')`,
      )
      .run(receivedAt, hash, bytes, bytes.byteLength).lastInsertRowid,
  );
}

export function createHarness(): Harness {
  const dir = tempDir('wharf-proc-');
  const path = join(dir.path, 'wharf.db');
  const db = openDatabase(path);
  migrate(db, 0);
  const notices = new CommitNotices();
  const store = new SqliteProcessingStore(path, { notices });
  const reads = new SqliteReadStore(path, notices);
  let clock = 1_800_000_000_000;
  return {
    db,
    store,
    reads,
    path,
    add: (body) => insertDelivery(db, body),
    async drain(limit = 10, targets = [], maxAttempts = 3) {
      const all: BatchStats[] = [];
      for (let i = 0; i < 10_000; i++) {
        const stats = await processBatch({
          store,
          targets,
          workerId: 'test-worker',
          limit,
          leaseMs: 30_000,
          maxAttempts,
          now: () => ++clock,
        });
        if (stats.claimed === 0) return all;
        all.push(stats);
      }
      throw new Error('drain did not finish');
    },
    snapshot: () => snapshotState(db),
    async close() {
      await reads.close();
      await store.close();
      db.close();
      dir.cleanup();
    },
  };
}
