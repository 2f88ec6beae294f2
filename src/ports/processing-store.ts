/**
 * Processing store: the processor's write side of storage: claim deliveries under a lease, commit a
 * batch's events, state changes and outbox rows in one transaction, release leases. What the API
 * reads is the read port (read-store.ts). Adapters: src/adapters/sqlite/processing-store.ts and
 * src/adapters/postgres/processing-store.ts (same file names). Every method is async and batched
 * (one transaction per commit) so a networked adapter costs one round trip per batch.
 */
import type { AnyWharfEvent } from '../events/wharf-event.js';
import type { StateChange } from '../core/state-change.js';
import type { OutboxTarget } from './outbox-target.js';

export interface ClaimedDelivery {
  readonly id: string;
  readonly body: Uint8Array;
  readonly receivedAt: number;
  /** Failed processing attempts so far (a bug in processing, not a crash). */
  readonly attempts: number;
}

export interface PreparedEvent {
  readonly event: AnyWharfEvent;
  /** Ids of the outbox targets that want it; rows are written only if the event is new. */
  readonly targets: readonly string[];
  /** Applied only if the event is new (its key was not stored yet). */
  readonly changes: readonly StateChange[];
  /**
   * Where `event.raw` is in the delivery body, a JSON path (src/core/item-paths.ts), when it was
   * found there: a store that keeps `raw` out of the events row reads the item back by it.
   */
  readonly rawAt?: string | undefined;
}

export interface BatchResult {
  readonly workerId: string;
  readonly now: number;
  /** Deliveries normalized into events (possibly none), marked `processed`. */
  readonly processed: ReadonlyArray<{
    readonly deliveryId: string;
    readonly events: readonly PreparedEvent[];
  }>;
  /** Signed but unreadable deliveries: `invalid` with the reason, never retried. */
  readonly invalid: ReadonlyArray<{ readonly deliveryId: string; readonly error: string }>;
  /** Processing threw: attempts + 1 and the lease released, or `invalid` once attempts reach maxAttempts. */
  readonly failed: ReadonlyArray<{ readonly deliveryId: string; readonly error: string }>;
  readonly maxAttempts: number;
}

export interface CommittedEvent {
  readonly id: string;
  readonly event: AnyWharfEvent;
  readonly deliveryId: string;
}

export interface CommitOutcome {
  /** Events stored by this commit (keys not seen before), in insertion order. */
  readonly committed: readonly CommittedEvent[];
  /** Events whose key was already stored: nothing changed for them. */
  readonly duplicates: number;
  readonly outboxRows: number;
}

/** Committed events counted by name and field, for the metrics, without the events themselves. */
export interface EventTally {
  readonly count: number;
  /** [name, field, events committed]. */
  readonly byNameAndField: ReadonlyArray<readonly [string, string, number]>;
}

/**
 * What the processor answers once a runBatch claim is back: the outbox targets as they are then (a
 * destination created while the claim waited still gets rows) and its clock then, the commit's
 * `now` (an injected clock holds in the processing thread too).
 */
export interface AfterClaim {
  readonly targets: ReadonlyArray<OutboxTarget>;
  readonly now: number;
}

/** A batch asked of a store that runs it itself (runBatch). */
export interface BatchRequest {
  readonly workerId: string;
  readonly limit: number;
  readonly leaseMs: number;
  readonly maxAttempts: number;
  /** The processor's clock at the request: the claim's `now` (the commit's is AfterClaim.now). */
  readonly now: number;
}

/** One batch run: what the processor records and hands on. */
export interface BatchRun {
  readonly claimed: number;
  /** `committed` may be read lazily (runBatch: parsed on first read). */
  readonly outcome: CommitOutcome;
  readonly invalid: number;
  readonly failed: number;
  /** received_at of each delivery that left the inbox (processing lag). */
  readonly receivedAt: readonly number[];
  readonly committedAt: number;
  /**
   * Milliseconds of parsing, normalizing and deriving (and with an in-thread store the synchronous
   * part of the commit call): what the processor sizes its batches by.
   */
  readonly busyMs: number;
  /**
   * The longest time one of the batch's write transactions (its claim, its commit) held the
   * database's write lock, ms, when the store measures it (SQLite's runBatch): meanwhile the
   * inbox's group commits, and with them the webhooks' 200s, wait (wharf_processing_lock_seconds).
   */
  readonly lockMs?: number;
  /** The committed events' tally, when the run gives it (runBatch) instead of outcome.committed. */
  readonly tally?: EventTally;
}

export interface ProcessingStore {
  /**
   * Claims, prepares (src/core/prepare-batch.ts) and commits one batch itself, away from the
   * calling thread, which only reads the result: the SQLite store of a process that also takes
   * webhooks (src/adapters/sqlite/threaded-processing-store.ts). `targetsAfterClaim` is called once
   * the claim is back and deliveries were claimed (a destination created while the claim waited gets
   * rows for them); every target it returns must have a `rule`. Absent elsewhere: the processor
   * runs src/app/process-batch.ts on claimBatch and commitBatch.
   */
  runBatch?(request: BatchRequest, afterClaim: () => AfterClaim): Promise<BatchRun>;
  /**
   * Leases up to `limit` deliveries that are pending or whose lease expired, oldest first; fewer
   * once their bodies reach CLAIM_BYTES (claim-bytes.ts), but always at least one when any is due.
   */
  claimBatch(
    workerId: string,
    limit: number,
    leaseMs: number,
    now: number,
  ): Promise<readonly ClaimedDelivery[]>;
  /** One transaction: new events, their state changes and outbox rows, and the deliveries' marks. */
  commitBatch(result: BatchResult): Promise<CommitOutcome>;
  /** Gives claimed deliveries back (shutdown) without counting an attempt. */
  releaseLeases(workerId: string, deliveryIds: readonly string[]): Promise<void>;
  /**
   * Hints that another process stored new deliveries (PostgreSQL: LISTEN on the inbox channel), so
   * a worker starts at once instead of at its next poll. Absent where the ingress shares the
   * process (SQLite), which wakes the processor directly. Returns the unsubscribe function.
   */
  onDeliveries?(listener: () => void): () => void;
  close(): Promise<void>;
}
