/**
 * Retention: removes processed deliveries, their events and those events' delivered outbox rows
 * once they are older than WHARF_RETENTION_DAYS (docs/operations.md#retention). Adapters:
 * src/adapters/sqlite/retention.ts, src/adapters/postgres/retention.ts (same names); the
 * behaviour both must have is test/conformance/retention.conformance.ts.
 *
 * A delivery is pruned only when all of these hold:
 *  - it was received before `olderThan` and before `protectAfter` (outside the dedupe window);
 *  - it is settled: processed, or invalid (recorded invalid; its error is kept until then);
 *  - it is not leased by a worker, and not queued to be processed again (a replay);
 *  - none of its events has an outbox row still pending or dead (a dead letter is kept until it is
 *    replayed and delivered);
 *  - it is not the newest delivery (SQLite hands out max(id) + 1 as the next id: deleting the newest
 *    row would let a new delivery take an id the inbox writer and delivery_cursor already passed).
 * State (messages, message errors, contacts, templates and their history, phone numbers, account
 * state) is never touched: it is what people ask about, and it is small.
 */
import type { PruneCounts } from '../core/prune-counts.js';

export type { PruneCounts } from '../core/prune-counts.js';

export interface PruneRequest {
  /** Epoch ms: deliveries received before this are past retention. */
  readonly olderThan: number;
  /** Epoch ms: deliveries received at or after this are kept (dedupe window). */
  readonly protectAfter: number;
  /** At most this many deliveries in this call (one short transaction). */
  readonly batchSize: number;
  /** Count what would go, change nothing. */
  readonly dryRun: boolean;
  /** The `next` of the previous batch of the same run; absent for the first. */
  readonly after?: string;
}

export interface PruneBatch {
  readonly counts: PruneCounts;
  /** Where the next batch starts, or null when this run has nothing more to look at. */
  readonly next: string | null;
}

export interface Retention {
  /**
   * One batch: the next `batchSize` deliveries (oldest first, after `after`) that may go, with
   * their events and outbox rows, removed in one transaction (or only counted, with `dryRun`).
   * Rejects with a StorageError when the storage is unavailable; nothing is removed then.
   */
  prune(request: PruneRequest): Promise<PruneBatch>;
  close(): Promise<void>;
}
