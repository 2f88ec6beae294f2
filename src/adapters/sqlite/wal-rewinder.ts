import type { Statement } from 'better-sqlite3';
import { closeSync, fdatasyncSync, openSync } from 'node:fs';
import { openDatabase, type SqliteDatabase } from './open-database.js';
import { isSqliteBusy } from './retry-while-busy.js';

/** How one attempt to let the WAL rewind ended. */
export interface RewindOutcome {
  /**
   * `complete`: every frame was copied into the database file while the writers stood still, so
   * the next write starts the WAL again from its first frame (unless a reader that began before
   * is still reading at that moment: then the next attempt does it). `reader`: a reader still uses
   * frames the checkpoint may not copy; the writers were not held. `writers-busy`: the write lock
   * could not be taken within `lockWaitMs`. `checkpoint-busy`: another connection was
   * checkpointing. `behind`: the writers appended more than `maxHeldFrames` while the last unheld
   * checkpoint ran, too much to copy with them held.
   */
  readonly result: 'complete' | 'reader' | 'writers-busy' | 'checkpoint-busy' | 'behind';
  /** How long the writers were held (0 unless the write lock was taken). */
  readonly heldMs: number;
  /** Frames the held checkpoint copied: what was written while the passes before it ran. */
  readonly heldFrames: number;
}

export interface WalRewinderOptions {
  /** Unheld PASSIVE checkpoints before the hold, at most (each copies what the one before left). */
  readonly passes?: number;
  /** A pass that found fewer new frames than this ends the unheld passes early. */
  readonly fewFrames?: number;
  /** How long to try for the write lock before giving up this attempt. */
  readonly lockWaitMs?: number;
  /** More new frames than this after the unheld checkpoints: no hold this time (`behind`). */
  readonly maxHeldFrames?: number;
}

export interface CheckpointRow {
  busy: number;
  log: number;
  checkpointed: number;
}

const pause = new Int32Array(new SharedArrayBuffer(4));

const none = (result: RewindOutcome['result']): RewindOutcome => ({ result, heldMs: 0, heldFrames: 0 });

/**
 * Lets a WAL that continuous writes never leave idle start again from its first frame, without a
 * RESTART checkpoint.
 *
 * SQLite rewinds the WAL by itself when a write transaction begins with every frame already copied
 * into the database file. Under continuous load that never happens: each PASSIVE checkpoint copies
 * what was in the log when it began, and by then the next group commit has appended more; the WAL
 * grows until something holds the writers. A RESTART checkpoint did that, but it holds them while
 * it copies everything since the last checkpoint, syncs the database file and then waits (with the
 * busy handler, up to a second) for every reader to leave the WAL: measured 25 – 934 ms in the
 * overload bench, every request admitted meanwhile waiting with it.
 *
 * Here the writers are held only for the last few frames: PASSIVE checkpoints first copy nearly
 * everything while the writers go on; then a second connection takes the write lock (BEGIN
 * IMMEDIATE: every writer of the database, in any thread or process, waits) and one more PASSIVE
 * checkpoint copies what they appended meanwhile; the lock is released at once, whatever the
 * outcome. A reader that still needs old frames makes the attempt stop before any hold: it would
 * keep the checkpoint from completing anyway, and nothing here waits for readers.
 *
 * A checkpoint syncs the database file only when it ends with every frame copied, which under
 * continuous writes is only the held one: its sync would then flush every page the checkpoints
 * before it wrote (up to the whole cycle's). The database file is therefore synced here just before
 * the hold, so the held sync has only the last frames' pages left to write.
 *
 * Writers that wait with SQLite's own busy handler (the stores outside the hot path, busy timeout
 * 5 s) sleep 1, 2, 5, 10 … ms between tries, so a hold of a few ms can cost them twice as much; the
 * inbox writer retries every 0.2 ms and the processing writer every 0.5 ms.
 */
export class WalRewinder {
  private holder!: SqliteDatabase;
  private begin!: Statement;
  private rollback!: Statement;
  private readonly passes: number;
  private readonly fewFrames: number;
  private readonly lockWaitMs: number;
  private readonly maxHeldFrames: number;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly path: string,
    options: WalRewinderOptions = {},
  ) {
    this.openHolder();
    this.passes = options.passes ?? 3;
    this.fewFrames = options.fewFrames ?? 256;
    this.lockWaitMs = options.lockWaitMs ?? 50;
    this.maxHeldFrames = options.maxHeldFrames ?? 4096;
  }

  private openHolder(): void {
    // Opened with a busy timeout (opening reads the WAL, which another connection may be recovering),
    // then none: SQLite's busy handler sleeps up to 100 ms between tries; the lock is tried every
    // 0.1 ms instead, so it is taken in the first gap between two group commits.
    this.holder = openDatabase(this.path, { busyTimeoutMs: 1000 });
    this.holder.pragma('busy_timeout = 0');
    this.begin = this.holder.prepare('BEGIN IMMEDIATE');
    this.rollback = this.holder.prepare('ROLLBACK');
  }

  rewind(): RewindOutcome {
    let before = -1;
    let added = 0;
    for (let i = 0; i < this.passes; i++) {
      const r = this.checkpoint();
      if (r.busy !== 0) return none('checkpoint-busy');
      if (r.checkpointed < r.log) return none('reader');
      added = before < 0 ? r.log : r.log - before;
      before = r.log;
      if (added >= 0 && added < this.fewFrames) break;
    }
    if (added > this.maxHeldFrames) return none('behind');
    this.syncDatabaseFile();
    const started = performance.now();
    if (!this.hold(started)) return none('writers-busy');
    const held = performance.now();
    let r: CheckpointRow;
    try {
      r = this.checkpoint();
    } finally {
      this.release();
    }
    const heldMs = performance.now() - held;
    if (r.busy !== 0) return { result: 'checkpoint-busy', heldMs, heldFrames: 0 };
    const heldFrames = r.log >= before ? r.log - before : r.log;
    return { result: r.checkpointed === r.log ? 'complete' : 'reader', heldMs, heldFrames };
  }

  close(): void {
    this.holder.close();
  }

  /** One PASSIVE checkpoint on the checkpointing connection: `log` is the WAL's frames when it began. */
  checkpoint(): CheckpointRow {
    const [row] = this.db.pragma('wal_checkpoint(PASSIVE)') as CheckpointRow[];
    return row ?? { busy: 0, log: 0, checkpointed: 0 };
  }

  /** Ends the hold; a holder whose ROLLBACK failed is closed and opened again, never left holding. */
  private release(): void {
    try {
      this.rollback.run();
    } catch (err) {
      if (!this.holder.inTransaction) throw err;
      this.holder.close();
      this.openHolder();
      throw err;
    }
  }

  /** Writes out the pages the unheld checkpoints copied, so that the held one's sync is short. */
  private syncDatabaseFile(): void {
    const fd = openSync(this.path, 'r');
    try {
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Takes the write lock on the holding connection, trying every 0.1 ms for `lockWaitMs`. */
  private hold(started: number): boolean {
    for (;;) {
      try {
        this.begin.run();
        return true;
      } catch (err) {
        if (!isSqliteBusy(err)) throw err;
        if (performance.now() - started > this.lockWaitMs) return false;
        Atomics.wait(pause, 0, 0, 0.1);
      }
    }
  }
}
