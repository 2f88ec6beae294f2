/** What the checkpointer thread does on one tick (checkpointer-worker.ts). */
export type CheckpointMode = 'none' | 'PASSIVE' | 'RESTART';

export interface CheckpointThresholds {
  /** Below this WAL file size, no checkpoint at all. */
  readonly walBytes: number;
  /** Past this many bytes of frames in use, a RESTART checkpoint rewinds the WAL. */
  readonly restartBytes: number;
}

/**
 * Decides one tick's checkpoint. `walFileBytes` is the WAL file's size, `framesInUse` the frames the
 * last checkpoint found in the log (its `log`: 0 after a rewind), `pageSize` the database's.
 *
 * The file's size never shrinks: SQLite rewinds the WAL to its first frame and writes over it, so
 * the file keeps the largest size it ever reached. A RESTART (which holds every writer while it
 * copies the last frames and syncs the database: 10 – 860 ms a time under load) is therefore decided
 * by the frames in use, not by the file: decided by the file, a WAL that once reached the threshold
 * made every later tick a RESTART, five a second for as long as the load lasted.
 */
export function checkpointMode(
  walFileBytes: number,
  framesInUse: number,
  pageSize: number,
  t: CheckpointThresholds,
): CheckpointMode {
  if (walFileBytes < t.walBytes) return 'none';
  return framesInUse * pageSize > t.restartBytes ? 'RESTART' : 'PASSIVE';
}
