/** What the checkpointer thread does on one tick (checkpointer-worker.ts). */
export type CheckpointMode = 'none' | 'PASSIVE' | 'REWIND';

export interface CheckpointThresholds {
  /** Below this WAL file size, no checkpoint at all. */
  readonly walBytes: number;
  /** Past this many bytes of frames in use, the WAL is made to start again (wal-rewinder.ts). */
  readonly rewindBytes: number;
}

/**
 * Decides one tick's checkpoint. `walFileBytes` is the WAL file's size, `framesInUse` the frames the
 * last checkpoint found in the log (its `log`: 0 after a rewind), `pageSize` the database's.
 *
 * The file's size never shrinks: SQLite rewinds the WAL to its first frame and writes over it, so
 * the file keeps the largest size it ever reached. A rewind (which holds every writer for the last
 * frames' copy) is therefore decided by the frames in use, not by the file: decided by the file, a
 * WAL that once reached the threshold made every later tick hold the writers, five times a second
 * for as long as the load lasted (measured with the RESTART checkpoint used before: 10 – 860 ms a
 * time).
 */
export function checkpointMode(
  walFileBytes: number,
  framesInUse: number,
  pageSize: number,
  t: CheckpointThresholds,
): CheckpointMode {
  if (walFileBytes < t.walBytes) return 'none';
  return framesInUse * pageSize > t.rewindBytes ? 'REWIND' : 'PASSIVE';
}
