import type { AppendOutcome, Inbox, NewDelivery } from '../ports/inbox.js';
import { WharfError } from '../errors.js';

export interface GroupCommitOptions {
  /** Deliveries waiting (queued + being committed) above which submit() fails fast with OVERLOADED. */
  readonly maxPending: number;
  /** Largest number of deliveries in one transaction. */
  readonly maxBatch?: number;
  /** Called after each commit with its size and duration (metrics). */
  readonly onCommit?: (size: number, ms: number) => void;
  readonly now?: () => number;
}

interface Waiter {
  readonly delivery: NewDelivery;
  readonly resolve: (o: AppendOutcome) => void;
  readonly reject: (e: Error) => void;
}

/**
 * Group commit: concurrent submits share one transaction and one fsync. While a commit is in
 * flight the next batch accumulates, so throughput grows with concurrency instead of queueing
 * one fsync per request. A promise resolves only after its delivery's transaction committed.
 */
export class GroupCommitter {
  private queue: Waiter[] = [];
  private inFlight = 0;
  private scheduled = false;
  private closed = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly inbox: Inbox,
    private readonly options: GroupCommitOptions,
  ) {}

  /** Deliveries accepted but not yet committed. */
  get pending(): number {
    return this.queue.length + this.inFlight;
  }

  submit(delivery: NewDelivery): Promise<AppendOutcome> {
    if (this.closed) return Promise.reject(new WharfError('SHUTTING_DOWN'));
    if (this.pending >= this.options.maxPending) return Promise.reject(new WharfError('OVERLOADED'));
    return new Promise((resolve, reject) => {
      this.queue.push({ delivery, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight > 0) return;
    this.scheduled = true;
    // setImmediate lets every request already read in this event-loop turn join the batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.queue.length === 0) return this.notifyIdle();
    const max = this.options.maxBatch ?? 1000;
    const batch = this.queue.length <= max ? this.queue : this.queue.slice(0, max);
    this.queue = this.queue.length <= max ? [] : this.queue.slice(max);
    this.inFlight = batch.length;
    const now = this.options.now ?? Date.now;
    const started = now();
    try {
      const outcomes = await this.inbox.appendBatch(batch.map((w) => w.delivery));
      this.options.onCommit?.(batch.length, now() - started);
      batch.forEach((w, i) => w.resolve(outcomes[i] as AppendOutcome));
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      for (const w of batch) w.reject(e);
    } finally {
      this.inFlight = 0;
    }
    if (this.queue.length > 0) void this.flush();
    else this.notifyIdle();
  }

  private notifyIdle(): void {
    if (this.pending > 0) return;
    const ws = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of ws) w();
  }

  /** Stops accepting and resolves once everything accepted so far is committed (or failed). */
  drain(): Promise<void> {
    this.closed = true;
    if (this.pending === 0 && !this.scheduled) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }
}
