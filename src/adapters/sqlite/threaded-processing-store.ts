/**
 * SQLite processing store whose writes (claim, commit, release) run in a worker thread
 * (processing-writer-worker.ts) and whose reads run on a connection in this thread. Used when the
 * processor shares its process with the ingress: see docs/benchmarks.md "End-to-end lag".
 */
import type { Worker } from 'node:worker_threads';
import type {
  BatchResult,
  ClaimedDelivery,
  CommitNotice,
  CommitOutcome,
  EventQuery,
  EventPage,
  EventPageQuery,
  ProcessingStore,
  StoredEvent,
} from '../../ports/processing-store.js';
import { StorageError } from '../../ports/inbox.js';
import { startSiblingWorker } from '../../util/sibling-module.js';
import { SqliteProcessingStore } from './processing-store.js';
import type { WriterRequest } from './processing-writer-worker.js';
import { committedOf, toTransfer, type CommitIds } from './commit-rows.js';

type Reply = { seq: number; value?: unknown; error?: { message: string; transient: boolean } };
type Distributive<T> = T extends unknown ? Omit<T, 'seq'> : never;

export class ThreadedProcessingStore implements ProcessingStore {
  private readonly worker: Worker;
  private readonly reads: SqliteProcessingStore;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<(n: CommitNotice) => void>();
  private seq = 0;

  constructor(path: string, options: { busyTimeoutMs?: number } = {}) {
    this.reads = new SqliteProcessingStore(path, options);
    this.worker = startSiblingWorker(import.meta.url, 'processing-writer-worker', {
      workerData: { path, busyTimeoutMs: options.busyTimeoutMs ?? 5000 },
    });
    this.worker.on('message', (m: Reply) => {
      const p = this.pending.get(m.seq);
      if (!p) return;
      this.pending.delete(m.seq);
      if (m.error)
        p.reject(m.error.transient ? new StorageError(m.error.message) : new Error(m.error.message));
      else p.resolve(m.value);
    });
    const fail = (err: Error) => {
      for (const [seq, p] of this.pending) {
        this.pending.delete(seq);
        p.reject(new StorageError('processing writer stopped', { cause: err }));
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
    const o = (await this.call({ op: 'commit', batch: toTransfer(result) })) as CommitIds;
    const outcome = committedOf(result, o);
    const committed = outcome.committed;
    const last = committed[committed.length - 1];
    if (last !== undefined && this.listeners.size > 0) {
      const wamids = [
        ...new Set(committed.flatMap((c) => (c.event.wamid === undefined ? [] : [c.event.wamid]))),
      ];
      for (const l of this.listeners) l({ lastEventId: last.id, wamids });
    }
    return outcome;
  }

  async releaseLeases(workerId: string, deliveryIds: readonly string[]): Promise<void> {
    await this.call({ op: 'release', args: [workerId, [...deliveryIds]] });
  }

  listEvents(query: EventPageQuery): Promise<EventPage> {
    return this.reads.listEvents(query);
  }

  eventsAfter(afterId: string, filter: EventQuery, limit: number): Promise<readonly StoredEvent[]> {
    return this.reads.eventsAfter(afterId, filter, limit);
  }

  lastEventId(): Promise<string> {
    return this.reads.lastEventId();
  }

  getMessage(wamid: string, phoneNumberId?: string) {
    return this.reads.getMessage(wamid, phoneNumberId);
  }

  getContact(id: string) {
    return this.reads.getContact(id);
  }

  onCommit(listener: (notice: CommitNotice) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    const exited = new Promise<void>((r) => this.worker.once('exit', () => r()));
    await this.call({ op: 'close' }).catch(() => undefined);
    // Keep this process alive until the worker is gone (it is unref'd while idle).
    this.worker.ref();
    await exited;
    await this.reads.close();
  }
}
