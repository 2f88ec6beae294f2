/**
 * Retention in the background (docs/operations.md#retention): every `intervalMs`, a run removes
 * what is past WHARF_RETENTION_DAYS in small batches (src/ports/retention.ts), pausing between them
 * so that the webhook's commits and the processor get the database in between (SQLite has one
 * writer). The cut-offs are fixed when a run starts; each batch continues where the last one
 * ended. stop() lets the batch in flight finish, then closes the port.
 */
import type { WharfConfig } from '../config/load-config.js';
import type { Logger } from '../observability/create-logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Retention } from '../ports/retention.js';
import { retentionCutoffs, type RetentionCutoffs } from '../core/retention-cutoffs.js';
import { addPruneCounts, NO_PRUNED_ROWS, PRUNED_TABLES, type PruneCounts } from '../core/prune-counts.js';
import {
  nextPruneStep,
  type BatchOutcome,
  type PruneStep,
  type PruneTiming,
} from '../core/next-prune-step.js';

/**
 * 100 deliveries (with their events and hand-offs) per batch: on SQLite a batch holds the write
 * lock for a few milliseconds, about as long as a processing commit, so acknowledgements never wait
 * long behind it; with the pause that still removes thousands of deliveries a second.
 */
export const RETENTION_BATCH_SIZE = 100;
export const DEFAULT_RETENTION_TIMING: PruneTiming = { intervalMs: 5 * 60_000, pauseMs: 25, retryMs: 60_000 };
/** The first run waits this long after start: start-up (migrations, warm-up, a backlog) comes first. */
const FIRST_RUN_DELAY_MS = 60_000;

export interface StartRetentionArgs {
  /** Owned from here on: stop() closes it. */
  readonly retention: Retention;
  readonly config: Pick<WharfConfig, 'retentionDays' | 'dedupeWindowHours'>;
  readonly logger: Logger;
  readonly metrics: Pick<Metrics, 'prunedRows'>;
  readonly now: () => number;
  readonly timing?: Partial<PruneTiming> & { readonly firstRunDelayMs?: number };
  readonly batchSize?: number;
}

export interface RetentionRuntime {
  /** Finishes the batch in flight, stops, and closes the retention port. */
  stop(): Promise<void>;
}

/** Starts the background prune, or only holds the port (to close it) when WHARF_RETENTION_DAYS is 0. */
export function startRetention(a: StartRetentionArgs): RetentionRuntime {
  const timing: PruneTiming = { ...DEFAULT_RETENTION_TIMING, ...a.timing };
  const batchSize = a.batchSize ?? RETENTION_BATCH_SIZE;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let cutoffs: RetentionCutoffs | null = null;
  let run: PruneCounts = NO_PRUNED_ROWS;

  const schedule = (step: PruneStep) => {
    if (stopped) return;
    timer = setTimeout(() => {
      inFlight = batch(step).finally(() => (inFlight = undefined));
    }, step.delayMs);
    // Retention never keeps a process alive on its own.
    timer.unref();
  };

  async function batch(step: PruneStep): Promise<void> {
    if (step.kind === 'run') {
      cutoffs = retentionCutoffs(a.config, a.now());
      run = NO_PRUNED_ROWS;
    }
    if (cutoffs === null) return;
    let outcome: BatchOutcome;
    try {
      const b = await a.retention.prune({
        ...cutoffs,
        batchSize,
        dryRun: false,
        ...(step.kind === 'batch' ? { after: step.after } : {}),
      });
      for (const table of PRUNED_TABLES) a.metrics.prunedRows.inc({ table }, b.counts[table]);
      run = addPruneCounts(run, b.counts);
      outcome = { failed: false, next: b.next };
    } catch (err) {
      a.logger.warn(
        { err: err instanceof Error ? err.message : String(err), retryInMs: timing.retryMs },
        'retention: a prune batch failed; the run is retried later',
      );
      outcome = { failed: true };
    }
    if (!outcome.failed && outcome.next === null && run.deliveries > 0)
      a.logger.info(
        { pruned: run, olderThan: new Date(cutoffs.olderThan).toISOString() },
        'retention: pruned',
      );
    schedule(nextPruneStep(outcome, timing));
  }

  if (a.config.retentionDays > 0)
    schedule({
      kind: 'run',
      delayMs: a.timing?.firstRunDelayMs ?? Math.min(FIRST_RUN_DELAY_MS, timing.intervalMs),
    });
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
      await a.retention.close();
    },
  };
}
