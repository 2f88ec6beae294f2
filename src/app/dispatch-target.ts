/**
 * What the dispatcher (src/app/dispatcher.ts) is given and what it reports: its targets (a
 * handler registration, a destination), their context per attempt, and one report per attempt.
 */
import type { AnyWharfEvent } from '../events/wharf-event.js';
import type { Logger } from '../observability/create-logger.js';
import type { AttemptFailure, ClaimedRow, Outbox } from '../ports/outbox.js';
import type { RetryPolicy } from '../core/retry-schedule.js';

/** What a handler receives beside the event. */
export interface HandlerContext {
  /** The event's idempotency key: the same for every attempt and every replay of this event. */
  readonly idempotencyKey: string;
  /** 1 for the first attempt; starts again at 1 after a replay. */
  readonly attempt: number;
  /** Id of the handler registration (its outbox target). */
  readonly target: string;
  /** Aborted when the attempt times out or Wharf shuts down: pass it to fetch() and friends. */
  readonly signal: AbortSignal;
}

/** A rate limit on starting attempts (src/core/destinations/token-bucket.ts). */
export interface RateGate {
  available(now: number): number;
  take(now: number): void;
  msUntilNext(now: number): number;
}

export interface DispatchTarget {
  readonly id: string;
  /** `row`: the claimed outbox row (destinations log it; handlers are given only event and ctx). */
  readonly handle: (event: AnyWharfEvent, ctx: HandlerContext, row?: ClaimedRow) => unknown;
  /** Attempts of this target in flight at once; its slots are its own, so it cannot starve others. */
  readonly concurrency: number;
  readonly timeoutMs: number;
  /** `contact`: one row per contact in flight, in occurrence order (destinations). */
  readonly ordering?: 'contact';
  readonly rate?: RateGate;
  /**
   * A claimed row that should wait (a conversation's batch window): when it is due again, or null to
   * run it now. A held row goes back without an attempt counted.
   */
  readonly holdUntil?: (row: ClaimedRow, now: number) => number | null;
  /** After a delivered attempt: the wamids its body carried, whose other rows it answers (superseded). */
  readonly coverage?: (row: ClaimedRow) => readonly string[] | undefined;
  /** Retry or dead letter after a failure; default: the dispatcher's jittered RetryPolicy. */
  readonly decide?: (row: ClaimedRow, error: unknown, now: number) => AttemptFailure;
  /**
   * A kind that takes many rows in one attempt (a pipelined broker publish, a multi-row insert):
   * given, the dispatcher hands it up to `batchSize` queued rows at once instead of calling
   * `handle` per row, and records one outcome per row. `concurrency` then counts attempts (batches).
   */
  readonly batch?: BatchHandler;
}

/** One outcome per row, in the order the rows were given: delivered, or failed with `error`. */
export type RowOutcome = { readonly ok: true } | { readonly ok: false; readonly error: unknown };

export interface BatchHandler {
  /** Most rows in one attempt. */
  readonly size: number;
  /**
   * Runs one attempt on `rows`. A throw (or the timeout) fails every row of the batch alike.
   * `ctx.attempt` and `ctx.idempotencyKey` are those of the first row; each row carries its own.
   */
  readonly handle: (rows: readonly ClaimedRow[], ctx: HandlerContext) => Promise<readonly RowOutcome[]>;
}

export interface AttemptReport {
  /** The outbox row, and its event's row id. */
  readonly rowId: string;
  readonly eventId?: string;
  readonly target: string;
  readonly event: AnyWharfEvent;
  readonly attempt: number;
  readonly outcome: 'delivered' | 'retry' | 'dead';
  readonly error?: unknown;
  readonly durationMs: number;
  readonly nextAttemptAt?: number;
}

export interface DispatcherOptions {
  readonly outbox: Outbox;
  /** A function when targets come and go at run time (destinations): read at every claim. */
  readonly targets: readonly DispatchTarget[] | (() => readonly DispatchTarget[]);
  readonly policy: RetryPolicy;
  readonly workerId: string;
  /** Lease on a claimed row; must outlast the longest handler timeout (a crash frees it after this). */
  readonly leaseMs: number | (() => number);
  /** Longest sleep: rows enqueued by another process are seen at least this often. */
  readonly pollMs: number;
  readonly now: () => number;
  readonly random: () => number;
  readonly logger: Logger;
  readonly onAttempt?: (report: AttemptReport) => void;
}
