import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import type {
  AppendOutcome,
  DeliveryPage,
  Inbox,
  ListDeliveriesQuery,
  NewDelivery,
  StoredDelivery,
} from '../../ports/inbox.js';
import { StorageError, toStorageError } from '../../storage-error.js';
import { openDatabase, type SqliteDatabase } from './open-database.js';
import { missingMigrations } from './migrate.js';
import { startSiblingWorker } from '../../util/sibling-module.js';
import { decodeIdCursor, pageOf } from '../../core/cursor.js';
import { decodeAppendReply, encodeAppendBatch, type AppendReply } from './append-batch-message.js';

type WriterReply = AppendReply | { seq: number; error: { code: string; message: string } };

interface Pending {
  resolve: (o: readonly AppendOutcome[]) => void;
  reject: (e: Error) => void;
}

interface Row {
  id: number;
  received_at: number;
  body_hash: string;
  size: number;
  secret_index: number;
  state: StoredDelivery['state'];
  duplicates: number;
  processed_at: number | null;
  error: string | null;
}

/**
 * A delivery's processing state, for `deliveries d LEFT JOIN delivery_outcomes o` (migration 0008):
 * its outcome when it has a final one, else 'processing' while a lease row exists (delivery_leases,
 * migration 0006), else 'pending'.
 */
const STATE = `CASE WHEN o.state IN ('processed', 'invalid') THEN o.state
  WHEN EXISTS (SELECT 1 FROM delivery_leases l WHERE l.delivery_id = d.id) THEN 'processing' ELSE 'pending' END`;

/**
 * Ids of the deliveries not processed yet: without an outcome row (above delivery_cursor, or at
 * or below it under a lease) or to process again (outcome 'pending').
 */
export const UNSETTLED = `SELECT d.id FROM deliveries d
  WHERE d.id > (SELECT outcomes_through FROM delivery_cursor WHERE id = 1)
    AND NOT EXISTS (SELECT 1 FROM delivery_outcomes o WHERE o.delivery_id = d.id)
  UNION ALL SELECT delivery_id FROM delivery_outcomes WHERE state = 'pending'
  UNION ALL SELECT l.delivery_id FROM delivery_leases l
  WHERE l.delivery_id <= (SELECT outcomes_through FROM delivery_cursor WHERE id = 1)
    AND NOT EXISTS (SELECT 1 FROM delivery_outcomes o WHERE o.delivery_id = l.delivery_id)`;

/** The cursor and the lowest and highest ids stored: three lookups of a B-tree's ends. */
const DEPTH_BOUNDS = `SELECT (SELECT outcomes_through FROM delivery_cursor WHERE id = 1) AS cursor,
  (SELECT min(id) FROM deliveries) AS lo, (SELECT max(id) FROM deliveries) AS hi`;
/** Deliveries above the cursor, by a range of the primary key: reads the table's pages from there on. */
const ABOVE_BY_RANGE = 'SELECT count(*) FROM deliveries WHERE id > ?';
/** The same, by a scan of the covering time index: ~100 bytes a delivery, every delivery stored. */
const ABOVE_BY_INDEX = 'SELECT count(*) FROM deliveries INDEXED BY deliveries_received_at WHERE id > ?';
/** Of those, the ones with an outcome (a range of delivery_outcomes' key: few, processing moves the cursor). */
const SETTLED_ABOVE = `SELECT count(*) FROM delivery_outcomes o
  WHERE o.delivery_id > ? AND EXISTS (SELECT 1 FROM deliveries d WHERE d.id = o.delivery_id)`;
/** UNSETTLED's other two parts: to process again, and leased at or below the cursor. */
const SETTLED_AGAIN = `SELECT (SELECT count(*) FROM delivery_outcomes WHERE state = 'pending')
  + (SELECT count(*) FROM delivery_leases l
     WHERE l.delivery_id <= ? AND NOT EXISTS (SELECT 1 FROM delivery_outcomes o WHERE o.delivery_id = l.delivery_id))`;

/** SqliteInbox.depth's count (see there), its statements prepared once, run in one read transaction. */
function depthCounter(db: SqliteDatabase): () => number {
  const bounds = db.prepare(DEPTH_BOUNDS);
  const byRange = db.prepare(ABOVE_BY_RANGE).pluck();
  const byIndex = db.prepare(ABOVE_BY_INDEX).pluck();
  const settledAbove = db.prepare(SETTLED_ABOVE).pluck();
  const settledAgain = db.prepare(SETTLED_AGAIN).pluck();
  return db.transaction((): number => {
    const b = bounds.get() as { cursor: number; lo: number | null; hi: number | null };
    let above = 0;
    if (b.hi !== null && b.lo !== null && b.hi > b.cursor) {
      const range = (b.hi - b.cursor) * 8 < b.hi - b.lo + 1;
      above = ((range ? byRange : byIndex).get(b.cursor) as number) - (settledAbove.get(b.cursor) as number);
    }
    return above + (settledAgain.get(b.cursor) as number);
  });
}

export interface SqliteInboxOptions {
  readonly busyTimeoutMs?: number;
  /** Byte-identical redeliveries within at least this long of the first are stored once. */
  readonly dedupeWindowMs?: number;
}

const MB = 1024 * 1024;
/** Frames in use past which the checkpointer makes the WAL start again (wal-rewinder.ts). */
const WAL_REWIND_BYTES = 512 * MB;

/** Meta retries a delivery for up to 7 days (Meta's docs on responses, timeouts and retries). */
export const DEFAULT_DEDUPE_WINDOW_MS = 7 * 24 * 3600 * 1000;

/**
 * SQLite inbox. Appends go to a worker thread that owns the write connection (one transaction and
 * one fsync per group commit, off the event loop); reads use a connection on the calling thread.
 */
export class SqliteInbox implements Inbox {
  private worker: Worker | undefined;
  private replies: { readonly port: MessagePort; readonly replied: Int32Array } | undefined;
  private readonly checkpointer: Worker;
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  private readonly read: SqliteDatabase;
  /** depth()'s count, its statements prepared on first use (the tables may not exist before). */
  private countDepth: (() => number) | undefined;

  constructor(
    private readonly path: string,
    private readonly options: SqliteInboxOptions = {},
  ) {
    this.read = openDatabase(path, { busyTimeoutMs: options.busyTimeoutMs ?? 5000 });
    this.checkpointer = startSiblingWorker(import.meta.url, 'checkpointer-worker', {
      workerData: { path, intervalMs: 200, walBytes: 8 * MB, rewindBytes: WAL_REWIND_BYTES },
    });
    this.checkpointer.unref();
  }

  private writer(): Worker {
    if (this.worker) return this.worker;
    // Replies come on a port of their own with a flag beside it, so that settleFinished() can take
    // them synchronously (receiveMessageOnPort) instead of waiting for the event loop's poll.
    const { port1: replies, port2 } = new MessageChannel();
    const replied = new Int32Array(new SharedArrayBuffer(4));
    const w = startSiblingWorker(import.meta.url, 'inbox-writer-worker', {
      workerData: {
        path: this.path,
        busyTimeoutMs: this.options.busyTimeoutMs ?? 5000,
        dedupeWindowMs: this.options.dedupeWindowMs ?? DEFAULT_DEDUPE_WINDOW_MS,
        replies: port2,
        replied,
      },
      transferList: [port2],
    });
    replies.on('message', (m: WriterReply) => this.onReply(m));
    const fail = (err: Error) => {
      if (this.worker === w) {
        this.worker = undefined;
        this.replies = undefined;
      }
      // A reply posted before the thread stopped is still an answer: the port is not ordered with 'exit'.
      for (let m = receiveMessageOnPort(replies); m; m = receiveMessageOnPort(replies))
        this.onReply(m.message as WriterReply);
      replies.close();
      for (const [seq, waiting] of this.pending) {
        this.pending.delete(seq);
        waiting.reject(new StorageError('inbox writer stopped', { cause: err }));
      }
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`inbox writer exited with code ${code}`)));
    w.unref();
    replies.unref();
    this.worker = w;
    this.replies = { port: replies, replied };
    return w;
  }

  private onReply(m: WriterReply): void {
    const waiting = this.pending.get(m.seq);
    if (!waiting) return;
    this.pending.delete(m.seq);
    if ('error' in m) waiting.reject(toStorageError('inbox write failed', m.error));
    else waiting.resolve(decodeAppendReply(m));
  }

  settleFinished(): void {
    const r = this.replies;
    // The writer raises the flag after each reply it posts: one load when nothing finished.
    if (!r || Atomics.load(r.replied, 0) === 0) return;
    Atomics.store(r.replied, 0, 0);
    for (let m = receiveMessageOnPort(r.port); m; m = receiveMessageOnPort(r.port))
      this.onReply(m.message as WriterReply);
  }

  appendBatch(deliveries: readonly NewDelivery[]): Promise<readonly AppendOutcome[]> {
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      const w = this.writer();
      w.ref();
      this.replies?.port.ref();
      const { message, transfer } = encodeAppendBatch(seq, deliveries);
      w.postMessage(message, transfer);
    }).finally(() => {
      if (this.pending.size > 0) return;
      this.worker?.unref();
      this.replies?.port.unref();
    }) as Promise<readonly AppendOutcome[]>;
  }

  async list(query: ListDeliveriesQuery): Promise<DeliveryPage> {
    // A bigint parameter: ids up to 2^63-1 are compared exactly (a double would round them).
    const before = query.cursor ? decodeIdCursor(query.cursor) : BigInt(Number.MAX_SAFE_INTEGER);
    const state = query.state ?? null;
    const rows = this.read
      .prepare(
        `SELECT d.id, d.received_at, d.body_hash, d.size, d.secret_index, ${STATE} AS state, d.duplicates,
           o.processed_at, o.error
         FROM deliveries d LEFT JOIN delivery_outcomes o ON o.delivery_id = d.id
         WHERE d.id < ? AND (? IS NULL OR ${STATE} = ?) ORDER BY d.id DESC LIMIT ?`,
      )
      .all(before, state, state, query.limit + 1) as Row[];
    // Settled states are counted in the narrow outcome table, the others among the unsettled ids.
    const total = this.read
      .prepare(
        `SELECT CASE
           WHEN @state IS NULL THEN (SELECT count(*) FROM deliveries)
           WHEN @state IN ('processed', 'invalid') THEN (SELECT count(*) FROM delivery_outcomes WHERE state = @state)
           ELSE (SELECT count(*) FROM (${UNSETTLED}) u WHERE @state = CASE
             WHEN EXISTS (SELECT 1 FROM delivery_leases l WHERE l.delivery_id = u.id) THEN 'processing'
             ELSE 'pending' END)
         END`,
      )
      .pluck()
      .get({ state }) as number;
    return { ...pageOf(rows, query.limit, toStored), total };
  }

  async body(id: string): Promise<Uint8Array | null> {
    const row = this.read.prepare('SELECT body FROM deliveries WHERE id = ?').get(Number(id)) as
      { body: Buffer } | undefined;
    return row ? row.body : null;
  }

  /**
   * The deliveries not processed yet (UNSETTLED, counted in its three disjoint parts). Run on the
   * event loop at every /metrics scrape, so its cost matters: the ids above the cursor are counted
   * on whichever of two plans reads less. A range of the primary key reads the table's own pages,
   * about two deliveries each with their bodies: 510 – 595 ms for 900,000 unprocessed deliveries, a
   * stall of every request in the overload bench at each scrape. The covering time index holds ~100
   * bytes per delivery, but its scan reads every delivery, settled or not: ~50 ms for 900,000. The
   * range is taken while it spans less than an eighth of the ids stored. Those with an outcome are
   * then taken off, counted from delivery_outcomes.
   */
  async depth(): Promise<number> {
    this.countDepth ??= depthCounter(this.read);
    return this.countDepth();
  }

  async warmUp(): Promise<void> {
    // An empty group commit: the writer starts, loads its window, takes the write lock and writes nothing.
    await this.appendBatch([]);
  }

  async ready(): Promise<void> {
    const missing = missingMigrations(this.read);
    if (missing.length > 0)
      throw new StorageError(
        `migrations not applied: ${missing.map((m) => m.version).join(', ')} (run wharf migrate)`,
      );
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.replies?.port.close();
    this.replies = undefined;
    if (w) {
      const exited = new Promise<void>((r) => w.once('exit', () => r()));
      w.ref();
      w.postMessage('close');
      await exited;
    }
    const cp = this.checkpointer;
    const cpExited = new Promise<void>((r) => cp.once('exit', () => r()));
    cp.ref();
    cp.postMessage('close');
    await cpExited;
    this.read.close();
  }
}

function toStored(r: Row): StoredDelivery {
  return {
    id: String(r.id),
    receivedAt: r.received_at,
    bodyHash: r.body_hash,
    size: r.size,
    secretIndex: r.secret_index,
    state: r.state,
    duplicates: r.duplicates,
    processedAt: r.processed_at,
    error: r.error,
  };
}
