import type { AppendOutcome, Inbox, NewDelivery } from '../ports/inbox.js';
import { WharfError } from '../errors.js';
import { CommitEstimate } from './commit-estimate.js';

export interface GroupCommitOptions {
  /** Deliveries waiting (queued + being committed) above which submit() fails fast with OVERLOADED. */
  readonly maxPending: number;
  /**
   * Queue-time target: submit() fails fast with OVERLOADED while the oldest waiting delivery has
   * waited longer than this — a new one would wait at least as long (default: no shedding on age).
   */
  readonly maxQueueMs?: number;
  /**
   * The answer's deadline, apart from the durable write's own timeout: a delivery not committed
   * within this time is rejected with OVERLOADED (its commit may still finish; a redelivery is then
   * stored once). Default: none.
   */
  readonly answerDeadlineMs?: number;
  /** Largest number of deliveries in one transaction. */
  readonly maxBatch?: number;
  /** Called after each commit with its size and duration (metrics). */
  readonly onCommit?: (size: number, ms: number) => void;
  readonly now?: () => number;
}

/**
 * A batch that has gathered this long with no commit in flight is posted at once rather than at the
 * end of the event-loop turn (setImmediate): under thousands of busy connections one turn reads
 * requests for hundreds of ms, and the commit would not even start until it ends.
 */
const GATHER_MS = 2;
/**
 * How long into an event-loop turn requests still settle commits and post batches themselves. Past
 * it they wait for the turn's end, as the commits' own callbacks do: answers written inside the turn
 * bring the next requests inside it, and under 10,000 connections such a turn never ended (turns of
 * 3.4 s: timers late, half the new connections never accepted within a minute).
 */
const TURN_SETTLE_MS = 10;

interface Waiter {
  readonly delivery: NewDelivery;
  readonly resolve: (o: AppendOutcome) => void;
  readonly reject: (e: Error) => void;
  /** When it was submitted (options.now). */
  readonly at: number;
}

/**
 * Group commit: concurrent submits share one transaction and one fsync. While a commit is in
 * flight the next batch accumulates, so throughput grows with concurrency instead of queueing
 * one fsync per request. A promise resolves only after its delivery's transaction committed.
 *
 * It also decides lateness: a new delivery is refused at once when the oldest one is already late
 * (a locked database or a saturated disk shows there first, whatever the count), and one that
 * waits past the answer deadline is answered 503 then, not after the storage's own busy timeout.
 */
export class GroupCommitter {
  private queue: Waiter[] = [];
  private committing: Waiter[] = [];
  private scheduled = false;
  /** When the first request of this event-loop turn asked (-1: none yet this turn). */
  private turnStartedAt = -1;
  private closed = false;
  private idleWaiters: Array<() => void> = [];
  private deadlineTimer: NodeJS.Timeout | null = null;
  /** When the last commit failed (0 once one succeeded since). */
  private lastFailureAt = 0;
  /** When the commit in flight was handed to the inbox. */
  private commitStartedAt = 0;
  /** From the recent commits' durations (handed to the inbox → settled here). */
  private readonly estimate = new CommitEstimate();
  private readonly now: () => number;

  constructor(
    private readonly inbox: Inbox,
    private readonly options: GroupCommitOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Deliveries accepted but not yet committed. */
  get pending(): number {
    return this.queue.length + this.committing.length;
  }

  /** How long the oldest delivery not yet committed has waited (0 when none). */
  oldestWaitMs(now = this.now()): number {
    const oldest = this.committing[0] ?? this.queue[0];
    return oldest ? now - oldest.at : 0;
  }

  /**
   * Why deliveries cannot be written now (readiness), or null: a commit failed within the last
   * `lateAfterMs * 5` and none succeeded since, or commits are late. The failure is forgotten after
   * that time: an instance taken out of rotation gets no traffic that could prove it writable again.
   */
  writeProblem(lateAfterMs: number): string | null {
    const now = this.now();
    if (this.lastFailureAt > 0 && now - this.lastFailureAt < lateAfterMs * 5)
      return 'the last commit to storage failed';
    if (this.oldestWaitMs(now) > lateAfterMs) return 'commits to storage are late';
    return null;
  }

  /**
   * How long a delivery submitted now is expected to wait for its commit: what is left of the
   * commit in flight, then the commit of the batch it joins (commit-estimate.ts).
   */
  expectedWaitMs(at = this.now()): number {
    const next = this.estimate.durationMs();
    if (this.committing.length === 0) return next;
    const left = next - (at - this.commitStartedAt);
    return Math.max(0, left) + next;
  }

  /**
   * Whether a delivery submitted now would be refused with OVERLOADED: too many pending, the oldest
   * waiting past the queue-time target (a locked or stalled storage), or a new one expected to wait
   * past it. The ingress asks before it verifies the signature, so that a shed POST costs no HMAC
   * and no error. It first takes in commits that finished (see settle()).
   */
  shedding(at = this.now()): boolean {
    this.settle(at);
    if (this.pending >= this.options.maxPending) return true;
    const maxQueueMs = this.options.maxQueueMs;
    if (maxQueueMs === undefined || this.pending === 0) return false;
    return this.oldestWaitMs(at) > maxQueueMs || this.expectedWaitMs(at) > maxQueueMs;
  }

  submit(delivery: NewDelivery): Promise<AppendOutcome> {
    if (this.closed) return Promise.reject(new WharfError('SHUTTING_DOWN'));
    const at = this.now();
    if (this.shedding(at)) return Promise.reject(new WharfError('OVERLOADED'));
    return new Promise((resolve, reject) => {
      this.queue.push({ delivery, resolve, reject, at });
      this.schedule();
      this.armDeadline(at);
    });
  }

  /**
   * Called for every request, so that neither end of a commit waits for the end of a long
   * event-loop turn: finished commits are settled now (their answers are written as soon as the
   * current callback returns), and a batch gathered past GATHER_MS with nothing in flight is posted;
   * only in the first TURN_SETTLE_MS of a turn, so that a busy turn still ends.
   */
  private settle(at: number): void {
    if (this.turnStartedAt < 0) {
      this.turnStartedAt = at;
      setImmediate(() => (this.turnStartedAt = -1));
    } else if (at - this.turnStartedAt > TURN_SETTLE_MS) return;
    this.inbox.settleFinished?.();
    const first = this.queue[0];
    if (first && this.committing.length === 0 && at - first.at > GATHER_MS) void this.flush();
  }

  private schedule(): void {
    if (this.scheduled || this.committing.length > 0) return;
    this.scheduled = true;
    // setImmediate lets every request already read in this event-loop turn join the batch.
    setImmediate(() => {
      this.scheduled = false;
      // Posted early meanwhile (settle()): the commit's end flushes what gathered since.
      if (this.committing.length === 0) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.queue.length === 0) return this.notifyIdle();
    const max = this.options.maxBatch ?? 1000;
    const batch = this.queue.length <= max ? this.queue : this.queue.slice(0, max);
    this.queue = this.queue.length <= max ? [] : this.queue.slice(max);
    this.committing = batch;
    const started = this.now();
    this.commitStartedAt = started;
    try {
      const outcomes = await this.inbox.appendBatch(batch.map((w) => w.delivery));
      this.lastFailureAt = 0;
      const ms = this.now() - started;
      this.estimate.record(ms);
      this.options.onCommit?.(batch.length, ms);
      batch.forEach((w, i) => w.resolve(outcomes[i] as AppendOutcome));
    } catch (err) {
      this.lastFailureAt = this.now();
      const e = err instanceof Error ? err : new Error(String(err));
      for (const w of batch) w.reject(e);
    } finally {
      this.committing = [];
    }
    if (this.queue.length > 0) void this.flush();
    else this.notifyIdle();
  }

  /** One timer for the oldest waiter's deadline (never one per request). */
  private armDeadline(now: number): void {
    const deadline = this.options.answerDeadlineMs;
    if (deadline === undefined || this.deadlineTimer || this.pending === 0) return;
    const due = Math.max(1, deadline - this.oldestWaitMs(now));
    this.deadlineTimer = setTimeout(() => this.expire(deadline), due);
  }

  /** Rejects every waiter past the deadline; queued ones are not written at all. */
  private expire(deadline: number): void {
    this.deadlineTimer = null;
    const now = this.now();
    const late = (w: Waiter) => now - w.at >= deadline;
    const error = new WharfError('OVERLOADED', `not committed within ${deadline} ms`);
    // A promise settles once: the commit finishing later changes nothing for these.
    for (const w of this.committing) if (late(w)) w.reject(error);
    const expired = this.queue.filter(late);
    if (expired.length > 0) {
      this.queue = this.queue.filter((w) => !late(w));
      for (const w of expired) w.reject(error);
    }
    // Waiters already rejected still count while their commit runs: the storage is still busy.
    const live = this.committing.find((w) => !late(w)) ?? this.queue[0];
    if (live) {
      this.deadlineTimer = setTimeout(() => this.expire(deadline), Math.max(1, deadline - (now - live.at)));
    } else if (this.committing.length > 0) {
      this.deadlineTimer = setTimeout(() => this.expire(deadline), deadline);
    }
  }

  private notifyIdle(): void {
    if (this.pending > 0) return;
    if (this.deadlineTimer) {
      clearTimeout(this.deadlineTimer);
      this.deadlineTimer = null;
    }
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
