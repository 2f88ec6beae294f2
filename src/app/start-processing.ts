/**
 * The processor of one Wharf process (roles `worker` and `all`), on the processing store the
 * composition root opened for it.
 */
import type { Registry } from 'prom-client';
import type { WharfConfig } from '../config/load-config.js';
import type { Logger } from '../observability/create-logger.js';
import type { OutboxTarget } from '../ports/outbox-target.js';
import type { CommitOutcome, ProcessingStore } from '../ports/processing-store.js';
import { createProcessingMetrics } from '../observability/processing-metrics.js';
import { Processor } from './processor.js';

export interface StartProcessingArgs {
  readonly config: WharfConfig;
  readonly store: ProcessingStore;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly now: () => number;
  readonly targets: ReadonlyArray<OutboxTarget> | (() => ReadonlyArray<OutboxTarget>);
  /** Called after a batch wrote outbox rows (wakes the dispatcher). */
  readonly afterCommit?: (outcome: CommitOutcome) => void;
}

export interface ProcessingRuntime {
  readonly processor: Processor;
  /** A delivery was stored: process it now (no polling delay). */
  readonly wake: () => void;
  /** Finishes the batch in flight (the store is closed with the rest of storage). */
  stop(): Promise<void>;
}

export function startProcessing(args: StartProcessingArgs): ProcessingRuntime {
  const processor = new Processor({
    store: args.store,
    targets: args.targets,
    logger: args.logger,
    metrics: createProcessingMetrics(args.registry),
    now: args.now,
    batchSize: args.config.batchSize,
    leaseMs: args.config.leaseSeconds * 1000,
    // Without an ingress in this process there is no 200 to protect: take whole batches.
    targetBatchMs: args.config.role === 'worker' ? Infinity : 10,
    ...(args.afterCommit ? { afterCommit: args.afterCommit } : {}),
  });
  processor.start();
  // Deliveries stored by ingress processes elsewhere (PostgreSQL NOTIFY): start now, not at the next poll.
  const unlisten = args.store.onDeliveries?.(() => processor.wake());
  return {
    processor,
    wake: () => processor.wake(),
    async stop() {
      unlisten?.();
      await processor.stop();
    },
  };
}
