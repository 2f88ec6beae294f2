/**
 * Processing store: the processor's side of storage (claim a batch, commit its events, state, outbox rows and processed marks in one transaction) and the read queries behind the
 * events / messages / contacts API. Adapters: src/adapters/sqlite/processing-store.ts and
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

/** An event as the API shows it. */
export interface StoredEvent {
  readonly id: string;
  readonly event: AnyWharfEvent;
}

export interface EventQuery {
  /** Exact name, or a prefix ending with a dot (`status.`). */
  readonly name?: string;
  readonly phoneNumberId?: string;
  /** wa_id or BSUID. */
  readonly contact?: string;
  readonly wamid?: string;
  /** occurred_at ≥ since (epoch ms). */
  readonly since?: number;
}

export interface EventPageQuery extends EventQuery {
  readonly limit: number;
  readonly cursor?: string;
}

export interface EventPage {
  /** Newest (most recently recorded) first. */
  readonly data: readonly StoredEvent[];
  readonly nextCursor: string | null;
}

export interface MessageView {
  readonly wamid: string;
  readonly phoneNumberId: string;
  readonly direction: 'inbound' | 'outbound';
  readonly type: string | null;
  /** Highest status by rank; `failed` only when nothing ranked was seen; null for inbound messages. */
  readonly status: string | null;
  readonly statuses: ReadonlyArray<{ readonly status: string; readonly at: number }>;
  readonly failed: boolean;
  readonly errors: ReadonlyArray<{
    readonly code: number | null;
    readonly title: string | null;
    readonly message: string | null;
    readonly details: string | null;
    readonly href: string | null;
  }>;
  readonly pricing: {
    readonly category: string | null;
    readonly type: string | null;
    readonly model: string | null;
    readonly billable: boolean | null;
  } | null;
  readonly conversation: {
    readonly id: string | null;
    readonly origin: string | null;
    readonly expiresAt: number | null;
  } | null;
  readonly bizOpaqueCallbackData: string | null;
  readonly preview: string | null;
  readonly media: {
    readonly id: string | null;
    readonly url: string | null;
    readonly sha256: string | null;
    readonly mimeType: string | null;
  } | null;
  readonly context: {
    readonly id: string | null;
    readonly from: string | null;
    readonly forwarded: boolean;
    readonly frequentlyForwarded: boolean;
  } | null;
  readonly contact: { readonly waId: string | null; readonly userId: string | null };
  readonly occurredAt: number | null;
}

export interface ContactView {
  readonly waId: string | null;
  readonly userId: string | null;
  readonly parentUserId: string | null;
  readonly username: string | null;
  readonly name: string | null;
  /** The phone number or BSUID that replaced the one asked for (number / BSUID change). */
  readonly replacedBy: string | null;
  readonly lastInboundAt: number | null;
  readonly marketingOptOut: {
    readonly optedOut: boolean;
    readonly source: string;
    readonly at: number;
  } | null;
}

/** Hint that events were committed; listeners re-read what they need (works across processes with a timer). */
export interface CommitNotice {
  readonly lastEventId: string;
  readonly wamids: readonly string[];
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
  listEvents(query: EventPageQuery): Promise<EventPage>;
  /** Oldest first, ids greater than `afterId` (SSE tail). */
  eventsAfter(afterId: string, filter: EventQuery, limit: number): Promise<readonly StoredEvent[]>;
  lastEventId(): Promise<string>;
  getMessage(wamid: string, phoneNumberId?: string): Promise<MessageView | null>;
  /** By phone number (wa_id) or BSUID. */
  getContact(id: string): Promise<ContactView | null>;
  /** In-process notices after each commit; returns the unsubscribe function. */
  onCommit(listener: (notice: CommitNotice) => void): () => void;
  /**
   * Hints that another process stored new deliveries (PostgreSQL: LISTEN on the inbox channel), so
   * a worker starts at once instead of at its next poll. Absent where the ingress shares the
   * process (SQLite), which wakes the processor directly. Returns the unsubscribe function.
   */
  onDeliveries?(listener: () => void): () => void;
  close(): Promise<void>;
}
