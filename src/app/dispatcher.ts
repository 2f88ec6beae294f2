import { setMaxListeners } from 'node:events';
import type { AnyWharfEvent } from '../events/wharf-event.js';
import type { Logger } from '../observability/create-logger.js';
import type { AttemptFailure, ClaimedRow, Coverage, Outbox, Postponement } from '../ports/outbox.js';
import type { RetryPolicy } from '../core/retry-schedule.js';
import { runAttempt, type AttemptResult } from './run-attempt.js';
import { decideFailure, describeError, interruptedAttempt } from './decide-failure.js';
import { PREFETCH_ROUNDS, PrefetchWindow } from './prefetch-window.js';

/** What a handler receives beside the event. */
export interface HandlerContext {
  /** The event's idempotency key: the same for every attempt and every replay of this event. */
  readonly idempotencyKey: string;
  /** 1 for the first attempt; starts again at 1 after a replay. */
  readonly attempt: number;
  /** Id of the handler registration (its outbox target). */
  readonly target: string;
  /** Aborted when the attempt times out or Wharf shuts down: pass it to fetch() and friends. */
  readonly signal: AbortSignal;
}

/** A rate limit on starting attempts (src/core/destinations/token-bucket.ts). */
export interface RateGate {
  available(now: number): number;
  take(now: number): void;
  msUntilNext(now: number): number;
}

export interface DispatchTarget {
  readonly id: string;
  /** `row`: the claimed outbox row (destinations log it; handlers are given only event and ctx). */
  readonly handle: (event: AnyWharfEvent, ctx: HandlerContext, row?: ClaimedRow) => unknown;
  /** Attempts of this target in flight at once; its slots are its own, so it cannot starve others. */
  readonly concurrency: number;
  readonly timeoutMs: number;
  /** `contact`: one row per contact in flight, in occurrence order (destinations). */
  readonly ordering?: 'contact';
  readonly rate?: RateGate;
  /**
   * A claimed row that should wait (a conversation's batch window): when it is due again, or null to
   * run it now. A held row goes back without an attempt counted.
   */
  readonly holdUntil?: (row: ClaimedRow, now: number) => number | null;
  /** After a delivered attempt: the wamids its body carried, whose other rows it answers (superseded). */
  readonly coverage?: (row: ClaimedRow) => readonly string[] | undefined;
  /** Retry or dead letter after a failure; default: the dispatcher's jittered RetryPolicy. */
  readonly decide?: (row: ClaimedRow, error: unknown, now: number) => AttemptFailure;
}

export interface AttemptReport {
  /** The outbox row, and its event's row id. */
  readonly rowId: string;
  readonly eventId?: string;
  readonly target: string;
  readonly event: AnyWharfEvent;
  readonly attempt: number;
  readonly outcome: 'delivered' | 'retry' | 'dead';
  readonly error?: unknown;
  readonly durationMs: number;
  readonly nextAttemptAt?: number;
}

export interface DispatcherOptions {
  readonly outbox: Outbox;
  /** A function when targets come and go at run time (destinations): read at every claim. */
  readonly targets: readonly DispatchTarget[] | (() => readonly DispatchTarget[]);
  readonly policy: RetryPolicy;
  readonly workerId: string;
  /** Lease on a claimed row; must outlast the longest handler timeout (a crash frees it after this). */
  readonly leaseMs: number | (() => number);
  /** Longest sleep: rows enqueued by another process are seen at least this often. */
  readonly pollMs: number;
  readonly now: () => number;
  readonly random: () => number;
  readonly logger: Logger;
  readonly onAttempt?: (report: AttemptReport) => void;
}

interface Settled {
  readonly row: ClaimedRow;
  readonly result: AttemptResult;
}

/**
 * Hands outbox rows to handlers: claims due rows per target (a window of several rounds of its
 * slots, kept leased and in order here; still at most `concurrency` attempts at once), runs
 * every attempt independently, and records outcomes in batches. A slow or failing target only ever
 * occupies its own slots, so other targets' events keep flowing: one failing target never delays another.
 */
export class Dispatcher {
  private readonly inFlight = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  private settled: Settled[] = [];
  private flushing: Promise<void> | undefined;
  private pumping: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private readonly controller = new AbortController();
  private byId = new Map<string, DispatchTarget>();
  private readonly window = new PrefetchWindow();

  constructor(private readonly o: DispatcherOptions) {
    // Every attempt in flight listens for the stop: a target may have up to 1,000 (max_in_flight).
    setMaxListeners(0, this.controller.signal);
  }

  private targets(): readonly DispatchTarget[] {
    const list = typeof this.o.targets === 'function' ? this.o.targets() : this.o.targets;
    this.byId = new Map(list.map((t) => [t.id, t]));
    return list;
  }

  start(): void {
    this.stopped = false;
    this.wake();
  }

  /** Something may be due now (the processor committed rows, a replay, a freed slot). Cheap to call often. */
  wake(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pumping = this.pump().finally(() => (this.pumping = undefined));
  }

  /**
   * Stops claiming, lets attempts run for `graceMs`, then aborts those still running; they are
   * recorded as interrupted (due again at once) before this resolves.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.pumping;
    const grace = new Promise<void>((r) => setTimeout(r, graceMs).unref());
    await Promise.race([Promise.all(this.running), grace]);
    this.controller.abort();
    await Promise.all(this.running);
    // A flush that ends with outcomes left over starts another one: wait for the last, or the
    // caller closes the outbox under it and those rows stay leased until their lease expires.
    while (this.flushing) await this.flushing;
  }

  private async pump(): Promise<void> {
    let delay = this.o.pollMs;
    try {
      do {
        this.again = false;
        await this.claimAndStart();
      } while (this.again && !this.stopped);
      delay = await this.sleepUntilNextDue();
    } catch (err) {
      this.o.logger.error({ err: String(err) }, 'outbox dispatch failed; retrying');
    }
    if (!this.stopped) this.timer = setTimeout(() => this.wake(), delay).unref();
  }

  /** Attempts this target may start now: its free slots, and its rate limit's tokens. */
  private freeSlots(t: DispatchTarget, now: number): number {
    const slots = t.concurrency - (this.inFlight.get(t.id) ?? 0);
    return t.rate ? Math.min(slots, t.rate.available(now)) : slots;
  }

  /**
   * Rows to claim for this target now. Nothing while a full round is still queued here (no
   * statement at all on most wake-ups); else up to its window. A rate-limited target claims only
   * what its tokens allow, so no row waits here long enough for its lease to run out; a target that
   * holds rows (a conversation's batch window) too, since a batch it sends supersedes later rows,
   * which must then not be waiting here to be sent a second time.
   */
  private claimLimit(t: DispatchTarget, now: number): number {
    const queued = this.window.size(t.id);
    if (t.rate || t.holdUntil) return Math.max(0, this.freeSlots(t, now) - queued);
    if (queued >= t.concurrency) return 0;
    return t.concurrency * PREFETCH_ROUNDS - queued - (this.inFlight.get(t.id) ?? 0);
  }

  private async claimAndStart(): Promise<void> {
    const now = this.o.now();
    const targets = this.targets();
    this.window.keepOnly(new Set(targets.map((t) => t.id)));
    for (const t of targets) this.startQueued(t, now);
    const perTarget = targets.map((t) => ({
      target: t.id,
      limit: this.claimLimit(t, now),
      ...(t.ordering === 'contact' ? { ordering: 'contact' as const } : {}),
    }));
    const leaseMs = typeof this.o.leaseMs === 'function' ? this.o.leaseMs() : this.o.leaseMs;
    const rows = await this.o.outbox.claimDue({ workerId: this.o.workerId, perTarget, leaseMs, now });
    if (rows.length === 0) return;
    const held: Postponement[] = [];
    const ready: ClaimedRow[] = [];
    for (const row of rows) {
      const target = this.byId.get(row.target);
      const until = target?.holdUntil?.(row, now) ?? null;
      if (until !== null && until > now) held.push({ id: row.id, until });
      // A holding target claims only its free slots (claimLimit): its rows start at once, as before.
      else if (target?.holdUntil) this.startAttempt(row);
      else ready.push(row);
    }
    this.window.add(ready, now + leaseMs);
    const later = this.o.now();
    for (const t of targets) this.startQueued(t, later);
    // If this fails the rows stay leased, and are claimed (and held again) when the lease ends.
    await this.o.outbox.postpone(this.o.workerId, held, now);
  }

  /** Starts this target's queued rows while it has free slots and tokens. */
  private startQueued(t: DispatchTarget, now: number): void {
    while (!this.stopped && this.freeSlots(t, now) > 0) {
      const row = this.window.take(t.id, now, t.timeoutMs);
      if (!row) return;
      this.startAttempt(row);
    }
  }

  private async sleepUntilNextDue(): Promise<number> {
    const now = this.o.now();
    const targets = this.targets();
    // A target with rows queued here is woken by its own outcomes, not by the outbox's clock.
    const free = targets
      .filter((t) => this.freeSlots(t, now) > 0 && this.window.size(t.id) === 0)
      .map((t) => t.id);
    // A target out of tokens (not out of slots) is looked at again when its next token is there.
    let delay = this.o.pollMs;
    for (const t of targets)
      if (t.rate && t.rate.available(now) === 0) delay = Math.min(delay, t.rate.msUntilNext(now));
    const next = await this.o.outbox.nextDueAt(free);
    if (next === null) return delay;
    return Math.min(delay, Math.max(0, next - this.o.now()));
  }

  private startAttempt(row: ClaimedRow): void {
    const target = this.byId.get(row.target);
    if (!target) return; // claims name only known targets
    target.rate?.take(this.o.now());
    this.inFlight.set(target.id, (this.inFlight.get(target.id) ?? 0) + 1);
    const p = runAttempt(target, row, this.controller.signal).then((result) => {
      this.settled.push({ row, result });
      this.flushSoon();
    });
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }

  /** Outcomes finished in the same turn of the event loop are written together. */
  private flushSoon(): void {
    if (this.flushing) return;
    this.flushing = new Promise<void>((r) => setImmediate(r))
      .then(() => this.flush())
      .finally(() => {
        this.flushing = undefined;
        if (this.settled.length > 0) this.flushSoon();
      });
  }

  /** Records every outcome gathered since the last flush in two statements, then wakes the claims. */
  private async flush(): Promise<void> {
    const batch = this.settled;
    this.settled = [];
    const now = this.o.now();
    const delivered: string[] = [];
    const covered: Coverage[] = [];
    const failed: AttemptFailure[] = [];
    const reports: AttemptReport[] = [];
    for (const { row, result } of batch) {
      const base = {
        rowId: row.id,
        ...(row.eventId === undefined ? {} : { eventId: row.eventId }),
        target: row.target,
        event: row.event,
        attempt: row.attempts + 1,
        durationMs: result.ms,
      };
      if (result.ok) {
        delivered.push(row.id);
        const wamids = this.byId.get(row.target)?.coverage?.(row);
        if (wamids !== undefined && wamids.length > 0) covered.push({ rowId: row.id, wamids });
        reports.push({ ...base, outcome: 'delivered' });
        continue;
      }
      const decide = this.byId.get(row.target)?.decide;
      const f = result.interrupted
        ? interruptedAttempt(row, result.error, now)
        : decide
          ? decide(row, result.error, now)
          : decideFailure(this.o.policy, row, result.error, now, this.o.random);
      failed.push(f);
      reports.push({
        ...base,
        outcome: f.kind,
        error: result.error,
        ...(f.kind === 'retry' ? { nextAttemptAt: f.retryAt } : {}),
      });
    }
    try {
      await this.o.outbox.markDelivered(this.o.workerId, delivered, now, covered);
      await this.o.outbox.markFailed(this.o.workerId, failed, now);
    } catch (err) {
      // Leases still hold these rows; when they expire the rows are tried again (at least once).
      this.o.logger.error(
        { err: describeError(err), rows: batch.length },
        'could not record handler outcomes',
      );
    }
    for (const { row } of batch) {
      this.inFlight.set(row.target, (this.inFlight.get(row.target) ?? 1) - 1);
      this.window.done(row.id);
    }
    for (const r of reports) this.report(r);
    this.wake();
  }

  private report(r: AttemptReport): void {
    try {
      this.o.onAttempt?.(r);
    } catch (err) {
      this.o.logger.error({ err: String(err) }, 'attempt listener threw');
    }
  }
}
