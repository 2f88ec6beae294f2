import type { SqliteDatabase } from './open-database.js';
import { whileWriterHeld } from './wal-hold.js';

/** What `PRAGMA wal_checkpoint` answers. */
export interface CheckpointProgress {
  /** 1 when the checkpoint could not run (another one ran) or could not finish (a reader). */
  readonly busy: number;
  /** Frames in the WAL when the checkpoint began (since the WAL last restarted). */
  readonly log: number;
  /** Of those, frames copied into the database file. */
  readonly checkpointed: number;
}

export interface CheckpointPassOptions {
  /** The inbox writer's side of the hold (wal-hold.ts). */
  readonly hold: Int32Array;
  /** How long to wait for the writer to come to a stop between two commits. */
  readonly askMs: number;
  /** At most this many frames copied by the last pass: the rest is finished with the writer held. */
  readonly holdFrames: number;
  /** Passes over the frames committed meanwhile before the held one. */
  readonly catchUpPasses: number;
  /**
   * The writer is held only once the WAL holds this many frames: what keeps its file from growing
   * is that it restarts at all, not how often, and each hold delays a group commit.
   */
  readonly holdAboveFrames: number;
  /** Past this many frames (a reader kept the WAL from restarting), a RESTART checkpoint. */
  readonly restartFrames: number;
}

/**
 * One checkpoint pass, ending whenever it can with every frame of the WAL checkpointed while the
 * inbox writer is between two transactions, so that the writer's next transaction restarts the
 * WAL from its first frame (wal.c, walRestartLog) instead of appending to an ever longer file:
 *
 * 1. a PASSIVE checkpoint of what is in the WAL (writers go on meanwhile); if the WAL holds fewer
 *    than `holdAboveFrames` frames, that is all;
 * 2. PASSIVE again over the frames committed while the previous one ran, while it copied more
 *    than `holdFrames` (at most `catchUpPasses` times);
 * 3. the last frames with the writer held (at most its own bound, wal-hold.ts).
 *
 * A checkpoint's `log` is the WAL's length when it began, so `checkpointed` = `log` does not mean
 * that nothing was committed while it ran: only a pass that found nothing to copy means that.
 */
export class CheckpointPass {
  private last: CheckpointProgress = { busy: 0, log: 0, checkpointed: 0 };

  constructor(
    private readonly db: SqliteDatabase,
    private readonly options: CheckpointPassOptions,
  ) {}

  run(): void {
    let copied = this.step('PASSIVE');
    if (this.last.log > this.options.restartFrames) this.step('RESTART');
    for (let i = 0; i < this.options.catchUpPasses && copied > this.options.holdFrames; i++)
      copied = this.step('PASSIVE');
    if (copied === 0 || this.last.busy === 1 || this.last.log < this.options.holdAboveFrames) return;
    whileWriterHeld(this.options.hold, this.options.askMs, () => this.step('PASSIVE'));
  }

  /** One checkpoint; returns the frames it copied. */
  private step(mode: 'PASSIVE' | 'RESTART'): number {
    const p = (this.db.pragma(`wal_checkpoint(${mode})`) as CheckpointProgress[])[0];
    // Busy (another checkpoint ran): nothing known, nothing copied.
    if (!p || p.log < 0) return 0;
    // A shorter log than last time: the WAL restarted in between.
    const copied = p.log < this.last.log ? p.checkpointed : p.checkpointed - this.last.checkpointed;
    this.last = p;
    return copied;
  }
}
