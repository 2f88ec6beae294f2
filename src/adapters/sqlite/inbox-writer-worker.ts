/**
 * Worker thread that owns the inbox's write connection. Group commits run here so the
 * transaction and its fsync (synchronous=FULL) never block the HTTP event loop.
 *
 * A batch arrives as one transferred buffer of concatenated bodies plus a few typed arrays
 * (append-batch-message.ts), not as an array of objects: a structured clone of hundreds of
 * bodies cost more than the insert of them.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { hash } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { openDatabase } from './open-database.js';
import { RecentHashes } from '../../core/recent-hashes.js';
import { readAppendBatch, type AppendBatchMessage, type AppendReply } from './append-batch-message.js';

const { path, busyTimeoutMs, dedupeWindowMs, replies, replied } = workerData as {
  path: string;
  busyTimeoutMs: number;
  dedupeWindowMs: number;
  /** Where each batch's reply goes; `replied` is raised after each, so the main thread can take it without waiting for its event loop (inbox.ts settleFinished). */
  replies: MessagePort;
  replied: Int32Array;
};
// No SQLite busy handler: its sleeps grow to 100 ms, and a processing batch holding the write lock
// would then delay the 200s by that much. Retrying every 0.2 ms takes the lock in the first gap.
const db = openDatabase(path, { busyTimeoutMs: 0 });
const pause = new Int32Array(new SharedArrayBuffer(4));
// Checkpoints run in checkpointer-worker.ts, never inside a group commit.
db.pragma('wal_autocheckpoint = 0');
/**
 * The new rows of a group commit go in as few statements as possible: one multi-row INSERT of up
 * to ROWS_PER_INSERT rows costs about 2 µs of CPU less per row than a statement per row (measured
 * on 1.5 KB bodies: docs/benchmarks.md "Ingest"). Ids are given, not left to SQLite: the write
 * lock is held, so max(id) + 1, + 2, … are exactly the ids SQLite would have chosen, and the
 * caller knows each row's id without asking. One statement per row count, prepared on first use.
 */
const ROWS_PER_INSERT = 64;
const COLUMNS = 7;
const inserts = new Map<number, Statement>();
function insertOf(rows: number): Statement {
  let s = inserts.get(rows);
  if (!s) {
    s = db.prepare(
      `INSERT INTO deliveries (id, received_at, body_hash, body, size, secret_index, request_id) VALUES ${Array(
        rows,
      )
        .fill('(?, ?, ?, ?, ?, ?, ?)')
        .join(', ')}`,
    );
    inserts.set(rows, s);
  }
  return s;
}
const storedHash = db.prepare('SELECT body_hash FROM deliveries WHERE id = ?').pluck();
const bumpDuplicate = db.prepare('UPDATE deliveries SET duplicates = duplicates + 1 WHERE id = ?');
const maxId = db.prepare('SELECT coalesce(max(id), 0) FROM deliveries').pluck();
type HashRow = { id: number; received_at: number; body_hash: string };
// At start: the covering time index, so no body is read however large the table.
const recentRows = db.prepare(
  'SELECT id, received_at, body_hash FROM deliveries INDEXED BY deliveries_received_at WHERE received_at >= ?',
);
// Afterwards: only rows committed by someone else since the last look (a rowid range).
const rowsAfter = db.prepare('SELECT id, received_at, body_hash FROM deliveries WHERE id > ?');

const recent = new RecentHashes(dedupeWindowMs);
let seenUpTo = 0;

/**
 * Brings the in-memory hashes up to date with every delivery committed so far, including those
 * another process (or a restart) wrote: called inside the write transaction, whose lock makes the
 * check and the insert that follows one atomic step, as a unique index would. Relies on ids only
 * growing: retention (src/adapters/sqlite/retention.ts) deletes only old rows and always keeps the
 * newest, so SQLite never hands an id out again; a pruned row's hash may still be remembered here,
 * and its candidate id then finds no row, as for any false candidate.
 */
function catchUp(now: number): number {
  const last = Number(maxId.get());
  if (last === seenUpTo) return last;
  const horizon = recent.horizon(now);
  const rows = (
    seenUpTo === 0 ? recentRows.iterate(horizon) : rowsAfter.iterate(seenUpTo)
  ) as Iterable<HashRow>;
  for (const r of rows) if (r.received_at >= horizon) recent.add(r.body_hash, r.id, r.received_at);
  seenUpTo = last;
  return last;
}

// Load the window's hashes now, outside any transaction, so the first group commit (which holds
// the write lock) only has to catch up with what arrived since.
catchUp(Date.now());

function storedAs(bodyHash: string): number | undefined {
  for (const id of recent.candidates(bodyHash)) if (storedHash.get(id) === bodyHash) return id;
  return undefined;
}

/**
 * One group commit, inside its write transaction: each body is hashed; one already stored (or
 * earlier in this batch) counts as a duplicate of that row; the others are inserted with the ids
 * that follow max(id), in multi-row statements.
 */
const appendAll = db.transaction((msg: AppendBatchMessage): AppendReply => {
  const batch = readAppendBatch(msg);
  const n = batch.length;
  const ids = new Float64Array(n);
  const duplicate = new Uint8Array(n);
  let hashes = '';
  let nextId = catchUp(Date.now()) + 1;
  const firstId = nextId;
  /** Hash → id of the rows this batch inserts (a body repeated within one batch is stored once). */
  const inBatch = new Map<string, number>();
  const values: unknown[] = [];
  const bumps: number[] = [];
  for (let i = 0; i < n; i++) {
    const body = batch.body(i);
    const bodyHash = hash('sha256', body);
    hashes += bodyHash;
    const existing = inBatch.get(bodyHash) ?? storedAs(bodyHash);
    if (existing !== undefined) {
      bumps.push(existing);
      ids[i] = existing;
      duplicate[i] = 1;
      continue;
    }
    const id = nextId++;
    const receivedAt = batch.receivedAt(i);
    values.push(id, receivedAt, bodyHash, body, body.byteLength, batch.secretIndex(i), batch.requestId(i));
    inBatch.set(bodyHash, id);
    ids[i] = id;
  }
  insertRows(values);
  for (const id of bumps) bumpDuplicate.run(id);
  for (let i = 0; i < n; i++)
    if (duplicate[i] === 0) recent.add(hashOf(hashes, i), ids[i] as number, batch.receivedAt(i));
  if (nextId > firstId) seenUpTo = nextId - 1;
  return { seq: msg.seq, ids, duplicate, hashes };
});

/** Inserts rows given as consecutive COLUMNS-value groups, ROWS_PER_INSERT rows per statement. */
function insertRows(values: readonly unknown[]): void {
  const rows = values.length / COLUMNS;
  if (rows <= ROWS_PER_INSERT) {
    if (rows > 0) insertOf(rows).run(values);
    return;
  }
  for (let at = 0; at < rows; at += ROWS_PER_INSERT) {
    const count = Math.min(ROWS_PER_INSERT, rows - at);
    insertOf(count).run(values.slice(at * COLUMNS, (at + count) * COLUMNS));
  }
}

const HASH_HEX = 64;
const hashOf = (hashes: string, i: number): string => hashes.slice(i * HASH_HEX, (i + 1) * HASH_HEX);

function appendWhileBusy(msg: AppendBatchMessage): AppendReply {
  const deadline = Date.now() + busyTimeoutMs;
  for (;;) {
    try {
      // BEGIN IMMEDIATE: take the write lock up front so a busy database fails fast and whole.
      return appendAll.immediate(msg);
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw err;
      Atomics.wait(pause, 0, 0, 0.2);
    }
  }
}

parentPort?.on('message', (msg: AppendBatchMessage | 'close') => {
  if (msg === 'close') {
    db.close();
    replies.close();
    parentPort?.close();
    return;
  }
  const seenBefore = seenUpTo;
  try {
    const reply = appendWhileBusy(msg);
    replies.postMessage(reply, [reply.ids.buffer as ArrayBuffer, reply.duplicate.buffer as ArrayBuffer]);
  } catch (err) {
    // Rolled back: the ids this batch took were not committed (and may be reused by another
    // writer), so look at them again next time. Hashes it added are harmless: every candidate is
    // confirmed against the stored row's full hash.
    seenUpTo = seenBefore;
    const e = err as { code?: string; message?: string };
    replies.postMessage({
      seq: msg.seq,
      error: { code: e.code ?? 'UNKNOWN', message: e.message ?? String(err) },
    });
  }
  Atomics.store(replied, 0, 1);
});
