/**
 * The processing loop: runs batches while work exists, then sleeps until woken (the ingress calls
 * wake() after each commit, so SQLite needs no polling delay) or until the backstop timer fires
 * (deliveries written by another process, expired leases of a dead worker).
 *
 * Where a batch runs: a store that runs batches itself (runBatch: SQLite in a process that takes
 * webhooks) claims, parses, normalizes, derives and commits in its own thread, and this thread
 * only answers with the targets' rules and records the result; otherwise parsing and normalizing
 * run in this thread (src/app/process-batch.ts), and so does the whole commit with an in-thread
 * store. Either way the batch size adapts so the parsing and deriving part stays about
 * `targetBatchMs`, which bounds how long a batch holds SQLite's write lock beside the inbox's group
 * commits (docs/benchmarks.md "End-to-end lag" measures the effect on the ingress).
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { BatchRun, CommitOutcome, ProcessingStore } from '../ports/processing-store.js';
import type { OutboxTarget } from '../ports/outbox-target.js';
import type { Logger } from '../observability/create-logger.js';
import type { ProcessingMetrics } from '../observability/processing-metrics.js';
import { processBatch, type BatchStats } from './process-batch.js';

export interface ProcessorOptions {
  readonly store: ProcessingStore;
  /** A function when targets change at run time (destinations): read for every batch. */
  readonly targets: ReadonlyArray<OutboxTarget> | (() => ReadonlyArray<OutboxTarget>);
  readonly logger: Logger;
  readonly metrics?: ProcessingMetrics;
  readonly now?: () => number;
  /** Largest number of deliveries per batch (WHARF_BATCH_SIZE). */
  readonly batchSize: number;
  readonly leaseMs: number;
  readonly maxAttempts?: number;
  /** Aim for batches of about this duration; Infinity = always batchSize (benchmarks, worker-only processes). */
  readonly targetBatchMs?: number;
  readonly backstopMs?: number;
  /** Pause after a storage error before trying again. */
  readonly errorBackoffMs?: number;
  readonly workerId?: string;
  /** Called after a batch committed new events (e.g. wakes the outbox dispatcher). */
  readonly afterCommit?: (outcome: CommitOutcome) => void;
}

const isUnknown = (name: string) => name === 'unknown' || name.endsWith('.unknown');

/** Events a batch committed, without reading a store-run batch's events. */
const committedCount = (stats: BatchRun) => stats.tally?.count ?? stats.outcome.committed.length;

export class Processor {
  readonly workerId: string;
  private limit: number;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private cancelPause: (() => void) | null = null;
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(private readonly o: ProcessorOptions) {
    this.workerId = o.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.now = o.now ?? Date.now;
    this.limit = Math.min(o.batchSize, 32);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), this.o.backstopMs ?? 1000);
    this.timer.unref();
    this.wake();
  }

  /** New deliveries may be waiting: run now, or once more after the batch in flight. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = null;
    });
  }

  /** Stops taking work; resolves once the batch in flight has committed. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.cancelPause?.();
    await this.running;
  }

  /** Runs batches until none is left (used by the loop, benchmarks and tests). */
  async drain(): Promise<number> {
    let events = 0;
    for (;;) {
      const stats = await this.batch();
      events += committedCount(stats);
      if (stats.claimed === 0) return events;
    }
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        while (!this.stopped) {
          const stats = await this.batch();
          if (stats.claimed === 0) break;
          // Let HTTP requests (and their 200s) run between batches.
          await new Promise((r) => setImmediate(r));
        }
      } catch (err) {
        this.o.logger.error(
          { err: err instanceof Error ? err.message : String(err) },
          'processing batch failed',
        );
        // The pause ends early on stop(): an unref'd timer alone would leave stop() awaiting forever.
        await new Promise<void>((r) => {
          const t = setTimeout(r, this.o.errorBackoffMs ?? 1000);
          t.unref();
          this.cancelPause = () => {
            clearTimeout(t);
            r();
          };
        });
        this.cancelPause = null;
        this.again = true;
      }
    } while (this.again && !this.stopped);
  }

  private targets(): ReadonlyArray<OutboxTarget> {
    return typeof this.o.targets === 'function' ? this.o.targets() : this.o.targets;
  }

  private async batch(): Promise<BatchStats> {
    const started = performance.now();
    const stats = await this.run();
    const ms = performance.now() - started;
    if (stats.claimed > 0) {
      this.adapt(stats.claimed, stats.busyMs);
      this.record(stats, ms);
      if (committedCount(stats) > 0) this.o.afterCommit?.(stats.outcome);
    }
    return stats;
  }

  /**
   * The store runs the batch itself when it can (runBatch: SQLite beside the ingress, on its
   * processing thread) and every target says what it wants as a rule; otherwise this thread
   * prepares it between the store's claim and commit.
   */
  private run(): Promise<BatchStats> {
    const maxAttempts = this.o.maxAttempts ?? 5;
    if (this.o.store.runBatch !== undefined && this.targets().every((t) => t.rule !== undefined))
      return this.o.store.runBatch(
        { workerId: this.workerId, limit: this.limit, leaseMs: this.o.leaseMs, maxAttempts, now: this.now() },
        () => ({ targets: this.targets(), now: this.now() }),
      );
    return processBatch({
      store: this.o.store,
      targets: this.o.targets,
      workerId: this.workerId,
      limit: this.limit,
      leaseMs: this.o.leaseMs,
      maxAttempts,
      now: this.now,
    });
  }

  /**
   * Next batch size so a batch holds this thread for about targetBatchMs (between 1 and
   * batchSize). Only the time it blocks counts: with the SQLite writes in a worker thread, a batch
   * that waits for the write lock or its fsync costs the 200s nothing, and shrinking batches for
   * it made processing fall behind at 3,000 events/s (docs/benchmarks.md "End-to-end lag").
   */
  private adapt(claimed: number, ms: number): void {
    const target = this.o.targetBatchMs ?? 10;
    if (!Number.isFinite(target)) {
      this.limit = this.o.batchSize;
      return;
    }
    if (claimed < this.limit) return;
    const perDelivery = Math.max(ms / claimed, 0.001);
    this.limit = Math.max(1, Math.min(this.o.batchSize, Math.floor(target / perDelivery), this.limit * 2));
  }

  private record(stats: BatchStats, ms: number): void {
    const m = this.o.metrics;
    if (m === undefined) return;
    m.batchDeliveries.observe(stats.claimed);
    m.batchEvents.observe(committedCount(stats) + stats.outcome.duplicates);
    m.batchDuration.observe(ms / 1000);
    if (stats.lockMs !== undefined) m.lockHold.observe(stats.lockMs / 1000);
    for (const at of stats.receivedAt) m.lag.observe(Math.max(0, stats.committedAt - at) / 1000);
    if (stats.tally !== undefined)
      for (const [name, field, n] of stats.tally.byNameAndField) {
        m.events.inc({ name }, n);
        if (isUnknown(name)) m.unknownEvents.inc({ name, field: m.unknownFieldLabel(field) }, n);
      }
    else
      for (const c of stats.outcome.committed) {
        m.events.inc({ name: c.event.name });
        if (isUnknown(c.event.name))
          m.unknownEvents.inc({ name: c.event.name, field: m.unknownFieldLabel(c.event.field) });
      }
    m.duplicateEvents.inc(stats.outcome.duplicates);
    m.deliveries.inc({ outcome: 'processed' }, stats.claimed - stats.invalid - stats.failed);
    if (stats.invalid) m.deliveries.inc({ outcome: 'invalid' }, stats.invalid);
    if (stats.failed) m.deliveries.inc({ outcome: 'failed' }, stats.failed);
  }
}
