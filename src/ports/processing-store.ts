/**
 * Processing store: the processor's write side of storage: claim deliveries under a lease, commit a
 * batch's events, state changes and outbox rows in one transaction, release leases. What the API
 * reads is the read port (read-store.ts). Adapters: src/adapters/sqlite/processing-store.ts and
 * src/adapters/postgres/processing-store.ts (same file names). Every method is async and batched
 * (one transaction per commit) so a networked adapter costs one round trip per batch.
 */
import type { AnyWharfEvent } from '../events/wharf-event.js';
import type { StateChange } from '../core/state-change.js';

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

export interface ProcessingStore {
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
