/**
 * Worker thread that owns the dispatcher's write connections: outbox claims, outcome marks and
 * postponements (SqliteOutbox), and the destinations' attempt log (SqliteDestinationStore). On the
 * main thread each of these waited for the write lock behind the inbox writer's and the
 * processor's commits, and reading the claimed events cost main-thread time per delivered row, which
 * showed as the webhook's ack p99 (docs/benchmarks.md, "Forwarding through destinations"). One
 * message claims many rows, one message marks many outcomes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AttemptFailure, ClaimRequest, Coverage, Postponement } from '../../ports/outbox.js';
import { SqliteOutbox } from './outbox.js';
import { SqliteDestinationStore } from './destination-store.js';
import { retryWhileBusy } from './retry-while-busy.js';

export type DispatchRequest =
  | { seq: number; op: 'claim'; request: ClaimRequest }
  | { seq: number; op: 'delivered'; args: [string, string[], number, Coverage[]] }
  | { seq: number; op: 'failed'; args: [string, AttemptFailure[], number] }
  | { seq: number; op: 'postpone'; args: [string, Postponement[], number] }
  | { seq: number; op: 'attempts'; json: string }
  | { seq: number; op: 'outcomes'; args: [string[], string[], number] }
  | { seq: number; op: 'close' };

const { path, busyTimeoutMs } = workerData as { path: string; busyTimeoutMs: number };
// No SQLite busy handler (its sleeps grow to 100 ms): retryWhileBusy takes the lock in the first
// gap between two group commits, as the processing writer does.
const outbox = new SqliteOutbox(path, { busyTimeoutMs: 0 });
let destinations: SqliteDestinationStore | undefined;
// The attempt log and the failing clocks are bookkeeping like the outbox's marks: no fsync per
// write (each one held this thread, and the claims queued behind it, for the disk's flush).
const attemptLog = () =>
  (destinations ??= new SqliteDestinationStore(path, { busyTimeoutMs: 0, synchronous: 'NORMAL' }));

async function handle(req: DispatchRequest): Promise<unknown> {
  const busy = <T>(fn: () => Promise<T>) => retryWhileBusy(fn, busyTimeoutMs);
  switch (req.op) {
    case 'claim':
      // One string for the whole claim, built by SQLite (claimed-rows-json.ts).
      return busy(() => outbox.claimDueAsJson(req.request));
    case 'delivered':
      return busy(() => outbox.markDelivered(...req.args));
    case 'failed':
      return busy(() => outbox.markFailed(...req.args));
    case 'postpone':
      return busy(() => outbox.postpone(...req.args));
    case 'attempts':
      return busy(async () => attemptLog().recordAttemptsJson(req.json));
    case 'outcomes':
      return busy(() => attemptLog().noteOutcomes(...req.args));
    case 'close':
      await outbox.close();
      await destinations?.close();
      return null;
  }
}

parentPort?.on('message', (req: DispatchRequest) => {
  handle(req).then(
    (value) => {
      parentPort?.postMessage({ seq: req.seq, value });
      if (req.op === 'close') parentPort?.close();
    },
    (err: unknown) =>
      parentPort?.postMessage({
        seq: req.seq,
        error: { message: err instanceof Error ? err.message : String(err), code: codeOf(err) },
      }),
  );
});

function codeOf(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}
