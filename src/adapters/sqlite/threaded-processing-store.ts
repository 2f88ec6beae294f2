/**
 * SQLite processing store whose work runs in a worker thread (processing-writer-worker.ts). Used
 * when the processor shares its process with the ingress: whole batches (runBatch: claim, parse,
 * normalize, derive, commit) run there, and this thread only posts the request, answers with the
 * targets' rules once the claim is back, and reads the result, the committed events as one JSON
 * string parsed only when read (docs/benchmarks.md "The webhook's ack beside processing").
 * claimBatch and commitBatch remain for a process with a target that has no rule.
 */
import type { Worker } from 'node:worker_threads';
import type {
  AfterClaim,
  BatchRequest,
  BatchResult,
  BatchRun,
  ClaimedDelivery,
  CommitOutcome,
  CommittedEvent,
  ProcessingStore,
} from '../../ports/processing-store.js';
import { StorageError } from '../../storage-error.js';
import { startSiblingWorker } from '../../util/sibling-module.js';
import { CommitNotices } from './commit-notices.js';
import type {
  ProcessedReply,
  RuleTarget,
  TargetsMessage,
  WriterRequest,
} from './processing-writer-worker.js';
import { eventAsRead } from './event-from-row.js';
import { parseCommitted } from './committed-json.js';
import { committedOf, toTransfer, type CommitIds } from './commit-rows.js';

type Reply = { seq: number; value?: unknown; error?: { message: string; transient: boolean }; hop?: true };
type Distributive<T> = T extends unknown ? Omit<T, 'seq'> : never;

export class ThreadedProcessingStore implements ProcessingStore {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  /** Per `process` request: the targets' rules, asked for once its claim is back. */
  private readonly hops = new Map<number, () => { targets: RuleTarget[] | null; now: number }>();
  private readonly notices: CommitNotices;
  private seq = 0;

  constructor(path: string, options: { busyTimeoutMs?: number; notices?: CommitNotices } = {}) {
    this.notices = options.notices ?? new CommitNotices();
    this.worker = startSiblingWorker(import.meta.url, 'processing-writer-worker', {
      workerData: { path, busyTimeoutMs: options.busyTimeoutMs ?? 5000 },
    });
    this.worker.on('message', (m: Reply) => {
      if (m.hop === true) return this.answerHop(m.seq);
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

  private call(
    req: Distributive<WriterRequest>,
    hop?: () => { targets: RuleTarget[] | null; now: number },
  ): Promise<unknown> {
    const seq = ++this.seq;
    if (hop) this.hops.set(seq, hop);
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ ...req, seq });
    }).finally(() => {
      this.hops.delete(seq);
      if (this.pending.size === 0) this.worker.unref();
    });
  }

  /** null (the worker gives the claim back and fails the batch) when a target has no rule or reading them threw. */
  private answerHop(seq: number): void {
    let targets: RuleTarget[] | null = null;
    let now = Date.now();
    try {
      const given = this.hops.get(seq)?.();
      if (given !== undefined) ({ targets, now } = given);
    } catch {
      targets = null;
    }
    const answer: TargetsMessage = { seq, op: 'targets', targets, now };
    this.worker.postMessage(answer);
  }

  async runBatch(request: BatchRequest, afterClaim: () => AfterClaim): Promise<BatchRun> {
    const rules = (): { targets: RuleTarget[] | null; now: number } => {
      const { targets, now } = afterClaim();
      const out: RuleTarget[] = [];
      for (const t of targets) {
        if (t.rule === undefined) return { targets: null, now };
        out.push({ id: t.id, rule: t.rule });
      }
      return { targets: out, now };
    };
    const r = (await this.call({ op: 'process', request }, rules)) as ProcessedReply;
    let committed: CommittedEvent[] | undefined;
    const read = () => (committed ??= parseCommitted(r.committed));
    if (r.lastEventId !== '')
      this.notices.publishLazily({ first: r.firstEventId, last: r.lastEventId }, r.wamids, () =>
        read().map((c) => ({ id: c.id, event: eventAsRead(c.event) })),
      );
    return {
      claimed: r.claimed,
      invalid: r.invalid,
      failed: r.failed,
      receivedAt: r.receivedAt,
      committedAt: r.committedAt,
      busyMs: r.busyMs,
      lockMs: r.lockMs,
      tally: r.tally,
      outcome: {
        get committed() {
          return read();
        },
        duplicates: r.duplicates,
        outboxRows: r.outboxRows,
      },
    };
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
