/**
 * Worker thread that checkpoints the WAL in the background. Writers run with
 * wal_autocheckpoint=0: an automatic checkpoint would run inside a committing transaction and,
 * with synchronous=FULL, add its fsyncs to that commit's latency (measured: 3.2 ms vs 0.85 ms per
 * 30-row group commit). Its checkpoints never block writers; once the WAL holds 32 MB, a pass
 * ends with the inbox writer standing still between two commits for the last frames, so that
 * the WAL restarts from its first frame (checkpoint-pass.ts, wal-hold.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './open-database.js';
import { CheckpointPass } from './checkpoint-pass.js';

const { path, intervalMs, hold } = workerData as { path: string; intervalMs: number; hold: Int32Array };
const db = openDatabase(path, { busyTimeoutMs: 1000 });
/** WAL frames in `bytes`: a frame is a page and its 24-byte header. */
const frames = (bytes: number) =>
  Math.floor(bytes / ((db.pragma('page_size', { simple: true }) as number) + 24));
const checkpoints = new CheckpointPass(db, {
  hold,
  // About one group commit: a writer that has not come by then has nothing to commit.
  askMs: 50,
  // 256 frames (1 MB) take about a millisecond to copy, then the database file's fsync.
  holdFrames: 256,
  catchUpPasses: 2,
  // A hold once the WAL holds 32 MB: about every other pass at full load (docs/benchmarks.md).
  holdAboveFrames: frames(32 * 1024 * 1024),
  // Should a reader keep the WAL from restarting, it is restarted once it holds 512 MB.
  restartFrames: frames(512 * 1024 * 1024),
});

const timer = setInterval(() => {
  try {
    checkpoints.run();
  } catch {
    // busy: try again on the next tick
  }
}, intervalMs);

parentPort?.on('message', (m: unknown) => {
  if (m !== 'close') return;
  clearInterval(timer);
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // shutting down anyway
  }
  db.close();
  parentPort?.close();
});
