/**
 * The outbox: one row per (event, handler target), written by the processor in the same
 * transaction as the event, so a committed event is never without its hand-offs. The dispatcher claims due rows, runs the handler and
 * records the outcome; a row that exhausted its attempts is a dead letter (state `dead`) until it is
 * replayed. Adapters: src/adapters/sqlite/outbox.ts, src/adapters/postgres/outbox.ts (same names).
 *
 * Every method is async and batched (one statement or one transaction per call) so a networked
 * adapter costs one round trip per call, not one per row.
 */
import type { AnyWharfEvent } from '../events/wharf-event.js';

export type OutboxState = 'pending' | 'delivered' | 'dead';

export interface OutboxRow {
  readonly id: string;
  readonly eventId: string;
  readonly eventName: string;
  readonly eventKey: string;
  readonly target: string;
  readonly state: OutboxState;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastError: string | null;
  /** When the row became a dead letter (null unless `dead`). */
  readonly deadAt: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** A leased row with its full event, ready to hand to the handler. */
export interface ClaimedRow {
  readonly id: string;
  /** The event's row id (the `id` of GET /api/v1/events). */
  readonly eventId?: string;
  readonly target: string;
  /** Attempts already made before this one. */
  readonly attempts: number;
  /** Delay chosen after the previous failure (decorrelated jitter grows from it), or null. */
  readonly lastDelayMs: number | null;
  readonly event: AnyWharfEvent;
}

export interface ClaimRequest {
  readonly workerId: string;
  /** How many rows each target may take now (its free in-flight slots): one target cannot starve another. */
  readonly perTarget: ReadonlyArray<{
    readonly target: string;
    readonly limit: number;
    /**
     * `contact`: only the head of each contact's queue (its earliest pending row by occurrence) may
     * be claimed, so a contact has one row in flight and its events go in order; a row without a
     * contact is not held back. Rows need `contact_key` / `order_at` (destination rows have them).
     */
    readonly ordering?: 'contact';
  }>;
  readonly leaseMs: number;
  readonly now: number;
}

export type AttemptFailure =
  | {
      readonly id: string;
      readonly error: string;
      readonly kind: 'retry';
      readonly retryAt: number;
      readonly delayMs: number;
    }
  | { readonly id: string; readonly error: string; readonly kind: 'dead' };

/**
 * A row whose body carried a whole conversation (destination format `conversation`): the other
 * pending rows of its target and contact, on its phone number, whose event's wamid is among
 * `wamids` were answered by that body and become delivered with it (superseded, no attempt).
 */
export interface Coverage {
  readonly rowId: string;
  readonly wamids: readonly string[];
}

/** A leased row handed back, due again at `until`, without counting an attempt (a batch window). */
export interface Postponement {
  readonly id: string;
  readonly until: number;
}

export interface DeadLetterQuery {
  readonly limit: number;
  /** Opaque cursor from a previous page. */
  readonly cursor?: string;
  readonly target?: string;
}

export interface DeadLetterPage {
  readonly data: readonly OutboxRow[];
  readonly nextCursor: string | null;
  readonly total: number;
}

export type ReplayDeadLetterOutcome =
  | { readonly outcome: 'replayed'; readonly row: OutboxRow }
  | { readonly outcome: 'not_dead'; readonly row: OutboxRow }
  | { readonly outcome: 'not_found' };

/** `rederive`: the processor derives the deliveries again (new events only). `redeliver`: also hand their events to the handlers again. */
export type ReplayMode = 'rederive' | 'redeliver';

export interface ReplaySummary {
  /** Deliveries marked pending for the processor. */
  readonly deliveries: number;
  /** Outbox rows put back to pending with attempts 0 (0 in `rederive` mode). */
  readonly outboxRows: number;
}

export interface OutboxDepth {
  /** Rows waiting for a first attempt or a retry. */
  readonly pending: number;
  readonly dead: number;
}

export interface Outbox {
  /** Leases due pending rows (oldest due first within each target) and returns them with their events. */
  claimDue(request: ClaimRequest): Promise<readonly ClaimedRow[]>;
  /**
   * Rows this worker still holds become `delivered`; rows it lost (lease expired and taken over) are
   * left alone. With `covered`, the rows those bodies answered are superseded in the same transaction.
   */
  markDelivered(
    workerId: string,
    ids: readonly string[],
    now: number,
    covered?: readonly Coverage[],
  ): Promise<void>;
  /** Rows this worker still holds go back to pending, due at their `until`, attempts unchanged. */
  postpone(workerId: string, rows: readonly Postponement[], now: number): Promise<void>;
  /** Counts the attempt and schedules the retry, or makes the row a dead letter. */
  markFailed(workerId: string, failures: readonly AttemptFailure[], now: number): Promise<void>;
  /** Earliest next_attempt_at among pending rows of these targets (the dispatcher's timer), or null. */
  nextDueAt(targets: readonly string[]): Promise<number | null>;
  /** Newest dead letters first. */
  listDeadLetters(query: DeadLetterQuery): Promise<DeadLetterPage>;
  get(id: string): Promise<OutboxRow | null>;
  /** A dead row back to pending with attempts 0, due now. */
  replayDeadLetter(id: string, now: number): Promise<ReplayDeadLetterOutcome>;
  /** Marks these inbox deliveries pending again and, in `redeliver` mode, re-enqueues their events' rows. */
  requeueForDeliveries(ids: readonly string[], mode: ReplayMode, now: number): Promise<ReplaySummary>;
  /** The same for every delivery received in [from, to) (epoch ms). */
  replayRange(from: number, to: number, mode: ReplayMode, now: number): Promise<ReplaySummary>;
  /** Pending rows whose target is none of these (a handler that was removed or renamed). */
  orphanTargets(known: readonly string[]): Promise<ReadonlyArray<{ target: string; pending: number }>>;
  depth(): Promise<OutboxDepth>;
  close(): Promise<void>;
}
