/**
 * SQLite processing store. One connection in the calling thread: claims and commits are short
 * transactions (the processor bounds batch time, src/app/processor.ts). WAL lets the inbox writer
 * thread and API reads (read-store.ts) proceed while a batch commits.
 */
import type {
  BatchResult,
  ClaimedDelivery,
  CommitOutcome,
  ProcessingStore,
} from '../../ports/processing-store.js';
import { openDatabase, type SqliteDatabase } from './open-database.js';
import { createCommitBatch, type CommitBatch } from './commit-batch.js';
import { committedOf, fromTransfer, rowsOf, type CommitIds, type TransferBatch } from './commit-rows.js';
import { CLAIM_BYTES } from '../../ports/claim-bytes.js';
import { CommitNotices } from './commit-notices.js';
import { transientSqlite } from './transient-sqlite.js';

interface ClaimRow {
  id: number;
  body: Buffer;
  received_at: number;
  attempts: number;
  size: number;
}

const wrap = <T>(fn: () => T): T => transientSqlite('processing store', fn);

export class SqliteProcessingStore implements ProcessingStore {
  private readonly db: SqliteDatabase;
  private readonly claim;
  private readonly release: (id: number, owner: string) => void;
  private readonly commit: CommitBatch;
  private readonly notices: CommitNotices;
  private longestHold = 0;

  /**
   * `backgroundCheckpoints`: another thread checkpoints the WAL (checkpointer-worker.ts, started
   * by the SQLite inbox in every Wharf process), so commits here never run one. A batch writes
   * megabytes of WAL; an automatic checkpoint inside the commit copied them into the database file
   * and fsynced it on the processing path (docs/benchmarks.md "Processing"). `notices`: told of
   * every commit (the read store's listeners in this process).
   */
  constructor(
    path: string,
    options: { busyTimeoutMs?: number; backgroundCheckpoints?: boolean; notices?: CommitNotices } = {},
  ) {
    this.notices = options.notices ?? new CommitNotices();
    this.db = openDatabase(path, { busyTimeoutMs: options.busyTimeoutMs ?? 5000 });
    if (options.backgroundCheckpoints === true) this.db.pragma('wal_autocheckpoint = 0');
    // Batches touch index pages all over the events/messages B-trees (keys are random wamids):
    // a page cache of 64 MB instead of the default 2 MB keeps them in memory between batches.
    this.db.pragma('cache_size = -65536');
    // Processing commits are not fsync'd (synchronous=NORMAL; openDatabase sets FULL): everything
    // they write is derived from the inbox, whose commits stay FULL. A kill -9 loses nothing (the
    // WAL is in the OS cache); a power loss can roll back only the processing commits made after
    // the last fsync of the shared WAL (the next inbox or outbox commit fsyncs them too), and their
    // deliveries are then processed again under the same event keys. Without the fsync a batch
    // holds the write lock for less time, so the inbox's group commits (the 200s) wait less:
    // docs/benchmarks.md "End-to-end lag".
    this.db.pragma('synchronous = NORMAL');
    // Deliveries to process, oldest first, unleased or whose lease expired (their worker died).
    // Every delivery at or below delivery_cursor has an outcome or a lease row (migration 0008), so
    // they come from three places, each read in id order and merged: never-processed deliveries
    // above the cursor (no outcome row); outcome rows 'pending' (a failed attempt or a replay); and
    // leases that expired on a delivery without an outcome (its worker died), which is how a
    // dead worker's batch is found once the cursor has moved past it. Read, then leased in
    // delivery_leases (migration 0006) in the same IMMEDIATE transaction; the delivery rows,
    // bodies included, are never rewritten. Not one statement with RETURNING: that buffers every
    // returned row (bodies included) in a temporary table first.
    const cursor = this.db.prepare('SELECT outcomes_through FROM delivery_cursor WHERE id = 1').pluck();
    const fresh = this.db.prepare(
      `SELECT d.id, d.body, d.received_at, 0 AS attempts, d.size FROM deliveries d
       WHERE d.id > @after AND NOT EXISTS (SELECT 1 FROM delivery_outcomes o WHERE o.delivery_id = d.id)
         AND NOT EXISTS (SELECT 1 FROM delivery_leases l WHERE l.delivery_id = d.id AND l.until >= @now)
       ORDER BY d.id LIMIT @limit`,
    );
    const again = this.db.prepare(
      `SELECT d.id, d.body, d.received_at, o.attempts, d.size
       FROM delivery_outcomes o JOIN deliveries d ON d.id = o.delivery_id
       WHERE o.state = 'pending'
         AND NOT EXISTS (SELECT 1 FROM delivery_leases l WHERE l.delivery_id = o.delivery_id AND l.until >= @now)
       ORDER BY o.delivery_id LIMIT @limit`,
    );
    const expired = this.db.prepare(
      `SELECT d.id, d.body, d.received_at, 0 AS attempts, d.size
       FROM delivery_leases l JOIN deliveries d ON d.id = l.delivery_id
       WHERE l.delivery_id <= @after AND l.until < @now
         AND NOT EXISTS (SELECT 1 FROM delivery_outcomes o WHERE o.delivery_id = l.delivery_id)
       ORDER BY l.delivery_id LIMIT @limit`,
    );
    const lease = this.db.prepare(
      `INSERT INTO delivery_leases (delivery_id, owner, until) SELECT value, @owner, @until FROM json_each(@ids) WHERE true
       ON CONFLICT (delivery_id) DO UPDATE SET owner = excluded.owner, until = excluded.until`,
    );
    this.claim = this.db.transaction(
      (params: { owner: string; until: number; now: number; limit: number }) => {
        const after = (cursor.get() as number | undefined) ?? 0;
        const sources = [
          fresh.iterate({ after, now: params.now, limit: params.limit }),
          again.iterate({ now: params.now, limit: params.limit }),
          expired.iterate({ after, now: params.now, limit: params.limit }),
        ] as Array<IterableIterator<ClaimRow>>;
        const rows: ClaimRow[] = [];
        try {
          const heads = sources.map((it) => it.next());
          let bytes = 0;
          while (rows.length < params.limit && bytes < CLAIM_BYTES) {
            let min = -1;
            heads.forEach((h, i) => {
              if (!h.done && (min < 0 || h.value.id < (heads[min]?.value as ClaimRow).id)) min = i;
            });
            if (min < 0) break;
            const r = heads[min]?.value as ClaimRow;
            heads[min] = (sources[min] as IterableIterator<ClaimRow>).next();
            rows.push(r);
            bytes += r.size;
          }
        } finally {
          for (const it of sources) it.return?.();
        }
        if (rows.length > 0)
          lease.run({ owner: params.owner, until: params.until, ids: JSON.stringify(rows.map((r) => r.id)) });
        return rows;
      },
    );
    // A released delivery without an outcome may lie at or below the cursor (it moved past the
    // lease): the cursor goes back below it so the claim finds it again.
    const dropLease = this.db.prepare(`DELETE FROM delivery_leases WHERE delivery_id = ? AND owner = ?`);
    const lowerCursor = this.db.prepare(
      `UPDATE delivery_cursor SET outcomes_through = ? - 1 WHERE id = 1 AND outcomes_through >= ?
         AND NOT EXISTS (SELECT 1 FROM delivery_outcomes o WHERE o.delivery_id = ?)`,
    );
    this.release = (id: number, owner: string) => {
      if (dropLease.run(id, owner).changes > 0) lowerCursor.run(id, id, id);
    };
    this.commit = createCommitBatch(this.db);
  }

  async claimBatch(
    workerId: string,
    limit: number,
    leaseMs: number,
    now: number,
  ): Promise<readonly ClaimedDelivery[]> {
    const rows = wrap(() =>
      this.holding(() => this.claim.immediate({ owner: workerId, until: now + leaseMs, now, limit })),
    );
    return rows.map((r) => ({
      id: String(r.id),
      body: r.body,
      receivedAt: r.received_at,
      attempts: r.attempts,
    }));
  }

  /** The commit of a batch already encoded (the writer thread of threaded-processing-store.ts). */
  commitTransferred(batch: TransferBatch): CommitIds {
    return wrap(() => this.commit(fromTransfer(batch)));
  }

  async commitBatch(result: BatchResult): Promise<CommitOutcome> {
    const rows = rowsOf(result);
    const outcome = committedOf(
      result,
      wrap(() => this.holding(() => this.commit(rows))),
    );
    this.notices.publish(outcome.committed);
    return outcome;
  }

  /**
   * The longest time one claim or commit transaction held the write lock since the last call, ms,
   * and starts again from 0: what a batch made the inbox's group commits wait at most (BatchRun.lockMs).
   */
  takeLongestHold(): number {
    const ms = this.longestHold;
    this.longestHold = 0;
    return ms;
  }

  /** Each write here begins with BEGIN IMMEDIATE, which takes the lock or fails busy at once. */
  private holding<T>(write: () => T): T {
    const started = performance.now();
    const value = write();
    this.longestHold = Math.max(this.longestHold, performance.now() - started);
    return value;
  }

  async releaseLeases(workerId: string, deliveryIds: readonly string[]): Promise<void> {
    wrap(() =>
      this.db.transaction(() => deliveryIds.forEach((id) => this.release(Number(id), workerId))).immediate(),
    );
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
