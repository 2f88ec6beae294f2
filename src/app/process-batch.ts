/**
 * One processing batch, in one transaction so a crash anywhere changes nothing twice: claim →
 * parse → normalize → derive → one commit. A delivery that is not a webhook envelope, or nests too
 * deep to process, is recorded `invalid` (never retried); one whose processing throws otherwise is
 * counted and released so it cannot block the ones behind it.
 */
import type { BatchRun, ProcessingStore } from '../ports/processing-store.js';
import type { OutboxTarget } from '../ports/outbox-target.js';
import { StorageError } from '../storage-error.js';
import { prepareBatch } from '../core/prepare-batch.js';
import { commitIsolating } from '../core/commit-isolating.js';

export interface ProcessBatchOptions {
  readonly store: ProcessingStore;
  /**
   * A function when targets change at run time (destinations). It is read once the claim is back:
   * a claim can wait (the writer thread booting, a lock), and a destination created meanwhile must
   * get rows for the deliveries it returns.
   */
  readonly targets: ReadonlyArray<OutboxTarget> | (() => ReadonlyArray<OutboxTarget>);
  readonly workerId: string;
  readonly limit: number;
  readonly leaseMs: number;
  /** Attempts after which a delivery whose processing keeps throwing becomes `invalid`. */
  readonly maxAttempts: number;
  readonly now: () => number;
}

/** One batch's counts and outcome (the port's BatchRun: the same whether the store ran it or this did). */
export type BatchStats = BatchRun;

const isStorageFailure = (err: unknown) => err instanceof StorageError;

export async function processBatch(options: ProcessBatchOptions): Promise<BatchStats> {
  let started = performance.now();
  const claiming = options.store.claimBatch(options.workerId, options.limit, options.leaseMs, options.now());
  let busyMs = performance.now() - started;
  const claimed = await claiming;
  started = performance.now();
  const targets = typeof options.targets === 'function' ? options.targets() : options.targets;
  const { processed, invalid, failed } = prepareBatch(claimed, targets);
  const now = options.now();
  const committing =
    claimed.length === 0
      ? Promise.resolve({ committed: [], duplicates: 0, outboxRows: 0 })
      : commitIsolating(
          (r) => options.store.commitBatch(r),
          isStorageFailure,
          { workerId: options.workerId, now, processed, invalid, failed, maxAttempts: options.maxAttempts },
          new Map(claimed.map((d) => [d.id, d.body])),
        );
  busyMs += performance.now() - started;
  const outcome = await committing;
  return {
    claimed: claimed.length,
    outcome,
    invalid: invalid.length,
    failed: failed.length,
    receivedAt: claimed.map((d) => d.receivedAt),
    committedAt: now,
    busyMs,
  };
}
