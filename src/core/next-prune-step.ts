/**
 * What the background prune does after one batch (pure; src/app/start-retention.ts runs it).
 *
 * Batches are small so that each holds the database's write lock briefly (SQLite has one writer:
 * the webhook's group commits wait behind it), and a pause between them lets those commits in.
 * A run ends when a batch found fewer candidates than it could take; the next run starts an
 * interval later. A failed batch (database busy or unreachable) ends the run; the next one retries.
 */
export interface PruneTiming {
  /** Between two runs. */
  readonly intervalMs: number;
  /** Between two batches of one run. */
  readonly pauseMs: number;
  /** Before the next run after a failed batch (at most intervalMs). */
  readonly retryMs: number;
}

export type PruneStep =
  | { readonly kind: 'batch'; readonly after: string; readonly delayMs: number }
  | { readonly kind: 'run'; readonly delayMs: number };

export type BatchOutcome =
  { readonly failed: true } | { readonly failed: false; readonly next: string | null };

export function nextPruneStep(outcome: BatchOutcome, timing: PruneTiming): PruneStep {
  if (outcome.failed) return { kind: 'run', delayMs: Math.min(timing.retryMs, timing.intervalMs) };
  if (outcome.next === null) return { kind: 'run', delayMs: timing.intervalMs };
  return { kind: 'batch', after: outcome.next, delayMs: timing.pauseMs };
}
