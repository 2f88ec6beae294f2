/**
 * The inbox: one append-only table of raw deliveries, the system of record: everything else can be rebuilt from it by replay.
 * Adapters: src/adapters/sqlite/inbox.ts, src/adapters/postgres/inbox.ts (same file names).
 * One conformance suite (test/conformance/inbox.conformance.ts) runs against every adapter.
 */

export interface NewDelivery {
  /** The raw request body, byte for byte. */
  readonly body: Uint8Array;
  /** Epoch milliseconds when the request was received. */
  readonly receivedAt: number;
  /** Index (0-based) of the configured app secret that verified the signature. */
  readonly secretIndex: number;
  readonly requestId: string;
}

export interface AppendOutcome {
  /** Inbox id of the stored (or already stored) delivery. */
  readonly id: string;
  /** True when a byte-identical delivery was already stored: nothing new was written. */
  readonly duplicate: boolean;
  /** Lowercase hex SHA-256 of the body (computed by the adapter, off the request path where it can). */
  readonly bodyHash: string;
}

export type ProcessingState = 'pending' | 'processing' | 'processed' | 'invalid';

export interface StoredDelivery {
  readonly id: string;
  readonly receivedAt: number;
  readonly bodyHash: string;
  readonly size: number;
  readonly secretIndex: number;
  readonly state: ProcessingState;
  /** How many times the same bytes were received again after the first. */
  readonly duplicates: number;
  readonly processedAt: number | null;
  /** Why a delivery is `invalid` (e.g. not JSON). */
  readonly error: string | null;
}

export interface DeliveryPage {
  readonly data: readonly StoredDelivery[];
  readonly nextCursor: string | null;
  readonly total: number;
}

export interface ListDeliveriesQuery {
  readonly limit: number;
  /** Opaque cursor from a previous page. */
  readonly cursor?: string;
  readonly state?: ProcessingState;
}

export interface Inbox {
  /**
   * Stores every delivery in ONE durable transaction; a body whose SHA-256 is already stored is not
   * stored again (its `duplicates` count goes up). PostgreSQL checks every stored body; SQLite
   * those received within its dedupe window (`WHARF_DEDUPE_WINDOW_HOURS`, at least 7 days). (group commit): when the promise resolves, all
   * of them are on disk (fsync'd). Outcomes are in input order. Rejects with a StorageError (src/storage-error.ts) when the
   * storage cannot be written (locked, read-only, full, unreachable) — nothing is acknowledged then.
   */
  appendBatch(deliveries: readonly NewDelivery[]): Promise<readonly AppendOutcome[]>;
  /** Newest first. */
  list(query: ListDeliveriesQuery): Promise<DeliveryPage>;
  /** Raw body of one delivery, or null. */
  body(id: string): Promise<Uint8Array | null>;
  /** Deliveries not yet processed (pending or leased). */
  depth(): Promise<number>;
  /** Throws when the storage is unreachable or migrations are missing. */
  ready(): Promise<void>;
  /**
   * Opens now what appends need (SQLite: the writer thread, which first loads the dedupe window's
   * hashes; PostgreSQL: a pooled connection), so the first webhook after a start does not wait for
   * it. Stores nothing. Rejects with a StorageError when the storage cannot be written.
   */
  warmUp(): Promise<void>;
  /**
   * Optional: settles at once the appends whose commit has already finished but whose answer the
   * event loop has not delivered yet (SQLite: the writer thread's reply waits for the event loop's
   * poll, behind every socket ready before it — under thousands of busy connections, a turn of
   * hundreds of ms). Cheap when nothing finished: the group committer calls it for every request.
   */
  settleFinished?(): void;
  close(): Promise<void>;
}
