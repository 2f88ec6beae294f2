/**
 * Where destinations live: their settings and secrets, their health (failing since,
 * disabled and why), the attempt log, and the outbox writes that only destinations need (replay of
 * a time range, Wharf's own operational events). Adapters: src/adapters/sqlite/destination-store.ts,
 * src/adapters/postgres/destination-store.ts (same names); test/conformance/destination-store.*.
 */
import type { Destination, DestinationFields, DestinationSecrets } from '../core/destinations/destination.js';
import type { AnyWharfEvent } from '../events/wharf-event.js';
import type { StoredEvent } from './read-store.js';

// Defined beside Destination (which extends it); exported here too, where the store's inputs are.
export type { DestinationFields } from '../core/destinations/destination.js';

export interface NewDestination extends DestinationFields {
  readonly id: string;
  readonly secret: string;
}

/** A change: the fields given are replaced; enabling clears `disabledReason`. */
export type DestinationPatch = Partial<DestinationFields>;

/** The outbox target id of a destination. */
export const destinationTarget = (id: string) => `destination:${id}`;
/** The destination id of an outbox target, or null for a handler's target. */
export const destinationIdOf = (target: string) =>
  target.startsWith('destination:') ? target.slice('destination:'.length) : null;

export interface NewAttempt {
  readonly destinationId: string;
  readonly outboxId: string | null;
  readonly eventId: string | null;
  readonly eventName: string;
  readonly attempt: number;
  readonly ok: boolean;
  readonly status: number | null;
  readonly durationMs: number;
  readonly error: string | null;
  readonly responseExcerpt: string | null;
  /** The first bytes of the body sent, when a `transform` made it (≤ 512 characters), else null. */
  readonly bodyExcerpt: string | null;
  readonly at: number;
}

export interface DestinationAttempt extends NewAttempt {
  readonly id: string;
}

export interface AttemptPage {
  /** Newest first. */
  readonly data: readonly DestinationAttempt[];
  readonly nextCursor: string | null;
}

/** A destination failing without a success since `failingSince`. */
export interface FailingDestination {
  readonly id: string;
  readonly name: string;
  readonly failingSince: number;
  /** When `wharf.destination.failing` was emitted for this failing run, or null. */
  readonly notifiedAt: number | null;
}

export class DestinationNameTaken extends Error {
  constructor(readonly destinationName: string) {
    super(`a destination named ${JSON.stringify(destinationName)} exists already`);
    this.name = 'DestinationNameTaken';
  }
}

export interface DestinationStore {
  /** Throws DestinationNameTaken when the name is in use. */
  create(d: NewDestination, now: number): Promise<Destination>;
  /** Oldest first. */
  list(): Promise<Destination[]>;
  get(id: string): Promise<Destination | null>;
  getByName(name: string): Promise<Destination | null>;
  /** Null when there is no such destination; throws DestinationNameTaken on a rename to a used name. */
  update(id: string, patch: DestinationPatch, now: number): Promise<Destination | null>;
  /** Removes the destination, its outbox rows and its attempt log. */
  delete(id: string): Promise<boolean>;
  secrets(id: string): Promise<DestinationSecrets | null>;
  /** `next` signs from now on; the current secret keeps signing until `previousUntil`. */
  rotateSecret(id: string, next: string, previousUntil: number, now: number): Promise<boolean>;
  /** Disables an enabled destination with its reason; false when it was already disabled or is gone. */
  disable(id: string, reason: string, now: number): Promise<boolean>;
  /** Starts the failing clock of `failed` (kept if running) and stops the one of `succeeded`. */
  noteOutcomes(succeeded: readonly string[], failed: readonly string[], now: number): Promise<void>;
  failing(): Promise<FailingDestination[]>;
  markFailingNotified(id: string, at: number): Promise<void>;
  recordAttempts(attempts: readonly NewAttempt[]): Promise<void>;
  listAttempts(id: string, q: { readonly limit: number; readonly cursor?: string }): Promise<AttemptPage>;
  /** Events by id, from `afterId`, that occurred in [from, to) (epoch ms): what a replay looks at. */
  eventsBetween(from: number, to: number, afterId: string | null, limit: number): Promise<StoredEvent[]>;
  /** Outbox rows of these events for `target`, due now with attempts 0 (new rows, or existing ones reset). */
  enqueue(target: string, eventIds: readonly string[], now: number): Promise<number>;
  /** Dead rows of `target` whose event occurred in [from, to), back to pending with attempts 0. */
  requeueDead(target: string, from: number, to: number, now: number): Promise<number>;
  /** Stores one of Wharf's own events with rows for `targets`; its id, or null when its key is stored already. */
  recordEvent(event: AnyWharfEvent, targets: readonly string[], now: number): Promise<string | null>;
  /** Pending outbox rows per destination target. */
  backlog(): Promise<ReadonlyArray<{ readonly target: string; readonly pending: number }>>;
  close(): Promise<void>;
}
