/**
 * Worker thread that owns the processing store's write connection. Claims and commits run here so
 * SQLite's busy waits (the inbox writer holds the same write lock) and the commit's fsync never
 * block the HTTP event loop; parsing and normalizing stay in the main thread, where the outbox
 * targets' `wants` functions live.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { TransferBatch } from './commit-rows.js';
import { StorageError } from '../../storage-error.js';
import { SqliteProcessingStore } from './processing-store.js';

export type WriterRequest =
  | { seq: number; op: 'claim'; args: [string, number, number, number] }
  | { seq: number; op: 'commit'; batch: TransferBatch }
  | { seq: number; op: 'release'; args: [string, string[]] }
  | { seq: number; op: 'close' };

const { path, busyTimeoutMs } = workerData as { path: string; busyTimeoutMs: number };
// No SQLite busy handler here: its sleeps grow to 100 ms while the inbox writer commits every
// millisecond or two, which showed as 100–300 ms of processing lag. Retrying every 0.5 ms instead
// takes the write lock in the first gap between two group commits.
// The inbox's checkpointer thread runs in every SQLite process (every role serves the webhook, and
// src/server/start-server.ts opens the inbox at start), so commits here leave checkpoints to it.
const store = new SqliteProcessingStore(path, { busyTimeoutMs: 0, backgroundCheckpoints: true });
const pause = new Int32Array(new SharedArrayBuffer(4));

async function withBusyRetry<T>(fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + busyTimeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      const busy = err instanceof StorageError && /SQLITE_BUSY/.test(err.message);
      if (!busy || Date.now() > deadline) throw err;
      Atomics.wait(pause, 0, 0, 0.5);
    }
  }
}

async function handle(req: WriterRequest): Promise<unknown> {
  switch (req.op) {
    case 'claim':
      return withBusyRetry(() => store.claimBatch(...req.args));
    case 'commit': {
      // Only ids travel back: the main thread still holds the events.
      return withBusyRetry(async () => store.commitTransferred(req.batch));
    }
    case 'release':
      return withBusyRetry(() => store.releaseLeases(...req.args));
    case 'close':
      await store.close();
      return null;
  }
}

parentPort?.on('message', (req: WriterRequest) => {
  handle(req).then(
    (value) => {
      parentPort?.postMessage({ seq: req.seq, value });
      if (req.op === 'close') parentPort?.close();
    },
    (err: unknown) =>
      parentPort?.postMessage({
        seq: req.seq,
        error: {
          message: err instanceof Error ? err.message : String(err),
          transient: err instanceof StorageError,
        },
      }),
  );
});
