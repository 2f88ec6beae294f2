import type { Statement } from 'better-sqlite3';
import { openDatabase, type SqliteDatabase } from './open-database.js';

/** How one attempt to let the WAL rewind ended. */
export interface RewindOutcome {
  /**
   * `complete`: every frame was copied into the database file while the writers stood still, so
   * the next write starts the WAL again from its first frame (unless a reader that began before
   * is still reading at that moment: then the next attempt does it). `reader`: a reader still uses
   * frames the checkpoint may not copy; the writers were not held. `writers-busy`: the write lock
   * could not be taken within `lockWaitMs`. `checkpoint-busy`: another connection was
   * checkpointing.
   */
  readonly result: 'complete' | 'reader' | 'writers-busy' | 'checkpoint-busy';
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
}

interface CheckpointRow {
  busy: number;
  log: number;
  checkpointed: number;
}

const pause = new Int32Array(new SharedArrayBuffer(4));

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
 */
export class WalRewinder {
  private readonly holder: SqliteDatabase;
  private readonly begin: Statement;
  private readonly rollback: Statement;
  private readonly passes: number;
  private readonly fewFrames: number;
  private readonly lockWaitMs: number;

  constructor(
    private readonly db: SqliteDatabase,
    path: string,
    options: WalRewinderOptions = {},
  ) {
    // No busy handler: its sleeps grow to 100 ms; the lock is tried every 0.1 ms instead, as the
    // inbox writer does, so it is taken in the first gap between two group commits.
    this.holder = openDatabase(path, { busyTimeoutMs: 0 });
    this.begin = this.holder.prepare('BEGIN IMMEDIATE');
    this.rollback = this.holder.prepare('ROLLBACK');
    this.passes = options.passes ?? 3;
    this.fewFrames = options.fewFrames ?? 256;
    this.lockWaitMs = options.lockWaitMs ?? 50;
  }

  rewind(): RewindOutcome {
    let before = -1;
    for (let i = 0; i < this.passes; i++) {
      const r = this.checkpoint();
      if (r.busy !== 0) return { result: 'checkpoint-busy', heldMs: 0, heldFrames: 0 };
      if (r.checkpointed < r.log) return { result: 'reader', heldMs: 0, heldFrames: 0 };
      const added = before < 0 ? r.log : r.log - before;
      before = r.log;
      if (added >= 0 && added < this.fewFrames) break;
    }
    const started = performance.now();
    if (!this.hold(started)) return { result: 'writers-busy', heldMs: 0, heldFrames: 0 };
    const held = performance.now();
    let r: CheckpointRow;
    try {
      r = this.checkpoint();
    } finally {
      this.rollback.run();
    }
    const heldMs = performance.now() - held;
    const heldFrames = before >= 0 && r.log >= before ? r.log - before : r.log;
    const result = r.busy !== 0 ? 'checkpoint-busy' : r.checkpointed === r.log ? 'complete' : 'reader';
    return { result, heldMs, heldFrames };
  }

  close(): void {
    this.holder.close();
  }

  private checkpoint(): CheckpointRow {
    const [row] = this.db.pragma('wal_checkpoint(PASSIVE)') as CheckpointRow[];
    return row ?? { busy: 0, log: 0, checkpointed: 0 };
  }

  /** Takes the write lock on the holding connection, trying every 0.1 ms for `lockWaitMs`. */
  private hold(started: number): boolean {
    for (;;) {
      try {
        this.begin.run();
        return true;
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        if (typeof code !== 'string' || !code.startsWith('SQLITE_BUSY')) throw err;
        if (performance.now() - started > this.lockWaitMs) return false;
        Atomics.wait(pause, 0, 0, 0.1);
      }
    }
  }
}
