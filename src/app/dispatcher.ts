import { setMaxListeners } from 'node:events';
import type { ClaimedRow, Postponement } from '../ports/outbox.js';
import type { DispatchTarget, DispatcherOptions } from './dispatch-target.js';
import { runAttempt, runBatchAttempt } from './run-attempt.js';
import { OutcomeWriter } from './outcome-writer.js';
import { PREFETCH_ROUNDS, PrefetchWindow } from './prefetch-window.js';

/**
 * Most rows one claim takes for a target: a batch target's ten rounds (10 × max_in_flight × 100)
 * would make one claim read and decode thousands of events at once.
 */
const MAX_WINDOW_ROWS = 2000;
/**
 * A target's next claim starts when fewer than this many rounds (max_in_flight × batch size) are
 * queued here, so it runs while those and the round in flight go out; one round ahead still left the
 * target's slots empty while a slow claim ran (docs/benchmarks.md, "Claims ahead of the slots").
 */
const CLAIM_AHEAD_ROUNDS = 2;
/** Rounds a target may hold leased (in flight, queued and claimed): a claim then takes a round or more. */
const LEASED_ROUNDS = CLAIM_AHEAD_ROUNDS + 2;
/**
 * Fewest: an http destination's ten rounds of max_in_flight 10 were 100 rows, and a claim (its lease
 * UPDATE and its read) costs the dispatch thread about as much per statement as for hundreds of
 * rows. A row still waiting here when its lease is about to end is not started (PrefetchWindow).
 */
const MIN_WINDOW_ROWS = 500;

export type {
  AttemptReport,
  BatchHandler,
  DispatchTarget,
  DispatcherOptions,
  HandlerContext,
  RateGate,
  RowOutcome,
} from './dispatch-target.js';

/**
 * Hands outbox rows to handlers: claims due rows per target (a window of several rounds of its
 * slots, kept leased and in order here; still at most `concurrency` attempts at once), runs
 * every attempt independently, and records outcomes in batches. A slow or failing target only ever
 * occupies its own slots, so other targets' events keep flowing: one failing target never delays another.
 */
export class Dispatcher {
  private readonly inFlight = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  private readonly outcomes: OutcomeWriter;
  private pumping: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private readonly controller = new AbortController();
  private byId = new Map<string, DispatchTarget>();
  private readonly window = new PrefetchWindow();

  constructor(private readonly o: DispatcherOptions) {
    this.outcomes = new OutcomeWriter({
      ...o,
      targetOf: (row) => this.byId.get(row.target),
      written: (rows) => {
        for (const row of rows) this.window.done(row.id);
        this.wake();
      },
    });
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
    await this.releaseQueued();
    const grace = new Promise<void>((r) => setTimeout(r, graceMs).unref());
    await Promise.race([Promise.all(this.running), grace]);
    this.controller.abort();
    await Promise.all(this.running);
    // A flush that ends with outcomes left over starts another one: wait for the last, or the
    // caller closes the outbox under it and those rows stay leased until their lease expires.
    await this.outcomes.drained();
  }

  /**
   * Rows leased here but never started (up to LEASED_ROUNDS rounds of a target) are due again at
   * once for the next worker, not when their lease ends: nothing starts them once stopped.
   */
  private async releaseQueued(): Promise<void> {
    const now = this.o.now();
    const rows = this.window.takeAll().map((row) => ({ id: row.id, until: now }));
    try {
      await this.o.outbox.postpone(this.o.workerId, rows, now);
    } catch (err) {
      // Their leases still end: they are claimed then, as after a crash.
      this.o.logger.error({ err: String(err), rows: rows.length }, 'could not release queued rows');
    }
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

  /** Rows this target may start now: its free slots times its batch size, within its tokens. */
  private freeRows(t: DispatchTarget, now: number): number {
    const rows = (t.concurrency - (this.inFlight.get(t.id) ?? 0)) * (t.batch?.size ?? 1);
    return t.rate ? Math.min(rows, t.rate.available(now)) : rows;
  }

  /**
   * Rows to claim for this target now. Nothing while CLAIM_AHEAD_ROUNDS rounds are still queued
   * here (no statement at all on most wake-ups); else up to its window, at most MAX_WINDOW_ROWS (or
   * a round) at once. A rate-limited target claims only what its tokens allow, so no row waits here
   * long enough for its lease to run out; a target that holds rows (a conversation's batch window)
   * too, since a batch it sends supersedes later rows, which must then not be waiting here to be
   * sent a second time.
   */
  private claimLimit(t: DispatchTarget, now: number): number {
    const queued = this.window.size(t.id);
    if (t.rate || t.holdUntil) return Math.max(0, this.freeRows(t, now) - queued);
    const round = roundOf(t);
    if (queued >= round * CLAIM_AHEAD_ROUNDS) return 0;
    const window = Math.max(
      MIN_WINDOW_ROWS,
      Math.min(round * PREFETCH_ROUNDS, Math.max(round * LEASED_ROUNDS, MAX_WINDOW_ROWS)),
    );
    const room = window - queued - (this.inFlight.get(t.id) ?? 0) * (t.batch?.size ?? 1);
    return Math.max(0, Math.min(room, Math.max(round, MAX_WINDOW_ROWS)));
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
      else if (target?.holdUntil) this.startAttempt(target, [row]);
      else ready.push(row);
    }
    this.window.add(ready, now + leaseMs);
    const later = this.o.now();
    for (const t of targets) this.startQueued(t, later);
    // If this fails the rows stay leased, and are claimed (and held again) when the lease ends.
    await this.o.outbox.postpone(this.o.workerId, held, now);
  }

  /** Starts this target's queued rows (a batch target: several per attempt) while it has free slots and tokens. */
  private startQueued(t: DispatchTarget, now: number): void {
    while (!this.stopped && this.freeSlots(t, now) > 0) {
      const size = Math.min(t.batch?.size ?? 1, this.freeRows(t, now));
      const rows: ClaimedRow[] = [];
      while (rows.length < size) {
        const row = this.window.take(t.id, now, t.timeoutMs);
        if (!row) break;
        rows.push(row);
      }
      if (rows.length === 0) return;
      this.startAttempt(t, rows);
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

  /** One attempt on one row, or on several rows of a batch target; it holds one slot until recorded. */
  private startAttempt(target: DispatchTarget, rows: readonly ClaimedRow[]): void {
    const now = this.o.now();
    if (target.rate) for (let i = 0; i < rows.length; i++) target.rate.take(now);
    this.inFlight.set(target.id, (this.inFlight.get(target.id) ?? 0) + 1);
    const signal = this.controller.signal;
    const attempt =
      target.batch || rows.length !== 1
        ? runBatchAttempt(target, rows, signal)
        : runAttempt(target, rows[0] as ClaimedRow, signal).then((r) => [r]);
    const p = attempt.then((results) => {
      // The slot is free once the attempt ended; its outcome is written with others (flushSoon),
      // and its rows stay leased and held in the window until then, so none runs twice at once.
      this.inFlight.set(target.id, (this.inFlight.get(target.id) ?? 1) - 1);
      this.outcomes.add(results.map((result, i) => ({ row: rows[i] as ClaimedRow, result })));
      const current = this.byId.get(target.id);
      if (!current) return;
      const queued = this.window.size(current.id);
      this.startQueued(current, this.o.now());
      // A backlog running down to less than CLAIM_AHEAD_ROUNDS queued: its next rows are claimed
      // while these run, not once this outcome is written (the target's slots would wait for the
      // claim). claimLimit decides how many. Rows trickling in (nothing queued) wait for the
      // processor's wake.
      const ahead = roundOf(current) * CLAIM_AHEAD_ROUNDS;
      if (queued > 0 && this.window.size(current.id) < ahead) this.wake();
    });
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }
}

/** Rows a target's slots take at once: max_in_flight attempts of its batch size. */
function roundOf(t: DispatchTarget): number {
  return t.concurrency * (t.batch?.size ?? 1);
}
