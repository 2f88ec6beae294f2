/**
 * SQLite processing store whose writes (claim, commit, release) run in a worker thread
 * (processing-writer-worker.ts). Used when the processor shares its process with the ingress: see
 * docs/benchmarks.md "End-to-end lag".
 */
import type { Worker } from 'node:worker_threads';
import type {
  BatchResult,
  ClaimedDelivery,
  CommitOutcome,
  ProcessingStore,
} from '../../ports/processing-store.js';
import { StorageError } from '../../storage-error.js';
import { startSiblingWorker } from '../../util/sibling-module.js';
import { CommitNotices } from './commit-notices.js';
import type { WriterRequest } from './processing-writer-worker.js';
import { committedOf, toTransfer, type CommitIds } from './commit-rows.js';

type Reply = { seq: number; value?: unknown; error?: { message: string; transient: boolean } };
type Distributive<T> = T extends unknown ? Omit<T, 'seq'> : never;

export class ThreadedProcessingStore implements ProcessingStore {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly notices: CommitNotices;
  private seq = 0;

  constructor(path: string, options: { busyTimeoutMs?: number; notices?: CommitNotices } = {}) {
    this.notices = options.notices ?? new CommitNotices();
    this.worker = startSiblingWorker(import.meta.url, 'processing-writer-worker', {
      workerData: { path, busyTimeoutMs: options.busyTimeoutMs ?? 5000 },
    });
    this.worker.on('message', (m: Reply) => {
      const waiting = this.pending.get(m.seq);
      if (!waiting) return;
      this.pending.delete(m.seq);
      if (m.error)
        waiting.reject(m.error.transient ? new StorageError(m.error.message) : new Error(m.error.message));
      else waiting.resolve(m.value);
    });
    const fail = (err: Error) => {
      for (const [seq, waiting] of this.pending) {
        this.pending.delete(seq);
        waiting.reject(new StorageError('processing writer stopped', { cause: err }));
      }
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`processing writer exited with code ${code}`)));
    this.worker.unref();
  }

  private call(req: Distributive<WriterRequest>): Promise<unknown> {
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ ...req, seq });
    }).finally(() => {
      if (this.pending.size === 0) this.worker.unref();
    });
  }

  async claimBatch(
    workerId: string,
    limit: number,
    leaseMs: number,
    now: number,
  ): Promise<readonly ClaimedDelivery[]> {
    return (await this.call({ op: 'claim', args: [workerId, limit, leaseMs, now] })) as ClaimedDelivery[];
  }

  async commitBatch(result: BatchResult): Promise<CommitOutcome> {
    const ids = (await this.call({ op: 'commit', batch: toTransfer(result) })) as CommitIds;
    const outcome = committedOf(result, ids);
    this.notices.publish(outcome.committed);
    return outcome;
  }

  async releaseLeases(workerId: string, deliveryIds: readonly string[]): Promise<void> {
    await this.call({ op: 'release', args: [workerId, [...deliveryIds]] });
  }

  async close(): Promise<void> {
    const exited = new Promise<void>((r) => this.worker.once('exit', () => r()));
    await this.call({ op: 'close' }).catch(() => undefined);
    // Keep this process alive until the worker is gone (it is unref'd while idle).
    this.worker.ref();
    await exited;
  }
}
