/**
 * The destinations this process delivers to, as outbox targets (for the processor) and dispatch
 * targets (for the dispatcher), kept in step with the store by refresh(): a destination created,
 * changed or deleted by this process or another one (PostgreSQL) is seen at the next refresh.
 */
import type { Destination, DestinationSecrets } from '../core/destinations/destination.js';
import { liveSecrets } from '../core/destinations/destination.js';
import { TokenBucket } from '../core/destinations/token-bucket.js';
import { batchWindowEnd } from '../core/destinations/batch-window.js';
import { destinationRule, undeliveredAfterMs, undeliveredDue } from '../core/actions/undelivered-timer.js';
import { wantsOfRule } from '../core/target-rule.js';
import type { DestinationStore } from '../ports/destination-store.js';
import { destinationTarget } from '../ports/destination-store.js';
import type { DestinationTransport } from '../ports/destination-transport.js';
import type { OutboxTarget } from '../ports/outbox-target.js';
import type { ClaimedRow } from '../ports/outbox.js';
import type { DispatchTarget, HandlerContext, RowOutcome } from './dispatch-target.js';
import type { DestinationKinds } from './destination-kinds.js';
import { compileTransform, TransformError, type Transform } from './compile-transform.js';

export interface DestinationEntry {
  readonly destination: Destination;
  /** Read by a kept transport's secrets callback (onlyRateLimitChanged): never changed in place. */
  readonly secrets: DestinationSecrets;
  readonly transport: DestinationTransport;
  readonly target: OutboxTarget & DispatchTarget;
  /** The compiled `transform`, or null when the body is sent as formatted. */
  readonly transform: Transform | null;
}

/**
 * Whether an attempt of this destination makes a format `event` body: a kind that never reads the
 * body (a database sink) without a transform makes none.
 */
export const makesEventBody = (e: DestinationEntry): boolean =>
  e.destination.format === 'event' && (e.transport.readsBody !== false || e.transform !== null);

/**
 * A stored transform, compiled. One that no longer compiles (stored by an older version) fails each
 * attempt with the reason, in the attempt log, rather than sending untransformed bodies.
 */
export function storedTransform(source: string | null): Transform | null {
  if (source === null) return null;
  const compiled = compileTransform(source);
  if (compiled.ok) return compiled.transform;
  const reason = `transform does not compile: ${compiled.message}`;
  return () => Promise.reject(new TransformError(reason));
}

/** Runs one attempt of a destination on a claimed row; throws when the attempt failed. */
export type DeliverRow = (entry: DestinationEntry, row: ClaimedRow, ctx: HandlerContext) => Promise<void>;

/** Runs one attempt on several rows (a transport with sendBatch): one outcome per row. */
export type DeliverRows = (
  entry: DestinationEntry,
  rows: readonly ClaimedRow[],
  ctx: HandlerContext,
) => Promise<readonly RowOutcome[]>;

/**
 * Rows per attempt of a transport that sends batches: its max_in_flight attempts then keep up to
 * this many times as many messages in flight (a JetStream publish waits for one ack per batch).
 */
export const ROWS_PER_BATCH = 100;

const sendsBatches = (d: Destination, t: DestinationTransport) =>
  t.sendBatch !== undefined && d.format !== 'conversation';

/**
 * Attempts in flight at once and rows per attempt. A kind whose max_in_flight counts messages (a
 * database sink) splits it into batches of ROWS_PER_BATCH; a broker has max_in_flight batches.
 */
function batchLimits(d: Destination, t: DestinationTransport): { concurrency: number; size: number } {
  if (!sendsBatches(d, t)) return { concurrency: d.maxInFlight, size: 1 };
  if (t.inFlightCounts !== 'messages') return { concurrency: d.maxInFlight, size: ROWS_PER_BATCH };
  const size = Math.min(ROWS_PER_BATCH, d.maxInFlight);
  return { concurrency: Math.ceil(d.maxInFlight / size), size };
}

export interface DestinationSetOptions {
  readonly store: DestinationStore;
  readonly kinds: DestinationKinds;
  readonly deliver: DeliverRow;
  readonly deliverBatch: DeliverRows;
  readonly decide: DispatchTarget['decide'];
  readonly coverage: DispatchTarget['coverage'];
  readonly now: () => number;
  /** Opens a destination's transport (the action kinds wrap theirs); default kinds.openTransport. */
  readonly open?: (d: Destination, secrets: () => readonly string[]) => DestinationTransport;
}

/**
 * Whether `d` differs from the destination `old` was opened for in its rate limit alone (its secrets
 * the same): a transport is opened from every other field, and reads the secrets of the entry it was
 * opened for.
 */
function onlyRateLimitChanged(old: DestinationEntry, d: Destination, secrets: DestinationSecrets): boolean {
  const same = (x: Destination) => JSON.stringify({ ...x, rateLimitPerSecond: null, updatedAt: 0 });
  return same(old.destination) === same(d) && JSON.stringify(old.secrets) === JSON.stringify(secrets);
}

/** The transport's own timeout ends an attempt; the dispatcher's is a backstop a little later. */
const BACKSTOP_MS = 2000;

export class DestinationSet {
  private entries = new Map<string, DestinationEntry>();
  private enabled: DestinationEntry[] = [];
  private sharedBodies = false;

  constructor(private readonly o: DestinationSetOptions) {}

  /** Reads every destination; reopens the transport of one that changed, closes those gone. */
  async refresh(): Promise<void> {
    const list = await this.o.store.list();
    const next = new Map<string, DestinationEntry>();
    const closing: DestinationTransport[] = [];
    for (const d of list) {
      const old = this.entries.get(d.id);
      if (old && old.destination.updatedAt === d.updatedAt) {
        next.set(d.id, old);
        continue;
      }
      const secrets = await this.o.store.secrets(d.id);
      if (secrets === null) continue; // deleted meanwhile
      // Only its rate limit changed: the dispatcher's own setting, so its connection stays open
      // (a NATS or AMQP connection closed and dialled again as a throttled backlog is let go).
      if (old && onlyRateLimitChanged(old, d, secrets)) {
        next.set(d.id, this.entry(d, secrets, old.transport));
        continue;
      }
      if (old) closing.push(old.transport);
      next.set(d.id, this.entry(d, secrets));
    }
    for (const [id, e] of this.entries) if (!next.has(id)) closing.push(e.transport);
    this.entries = next;
    this.enabled = [...next.values()].filter((e) => e.destination.enabled);
    this.sharedBodies = this.enabled.filter(makesEventBody).length > 1;
    await Promise.all(closing.map((t) => t.close().catch(() => undefined)));
  }

  /** `kept`: the transport of the destination as it was (onlyRateLimitChanged), reading the same secrets. */
  private entry(d: Destination, secrets: DestinationSecrets, kept?: DestinationTransport): DestinationEntry {
    const open =
      this.o.open ?? ((x: Destination, s: () => readonly string[]) => this.o.kinds.openTransport(x, s));
    const transport = kept ?? open(d, () => liveSecrets(entry.secrets, this.o.now()));
    const limits = batchLimits(d, transport);
    const rule = destinationRule(d);
    const entry: DestinationEntry = {
      destination: d,
      secrets,
      transport,
      transform: storedTransform(d.transform),
      target: {
        id: destinationTarget(d.id),
        wants: wantsOfRule(rule),
        rule,
        handle: (_event, ctx, row) => this.o.deliver(entry, row as ClaimedRow, ctx),
        concurrency: limits.concurrency,
        timeoutMs: d.timeoutMs + BACKSTOP_MS,
        ...(d.ordering === 'contact' || d.format === 'conversation' ? { ordering: 'contact' as const } : {}),
        ...(d.format === 'conversation' ? this.conversationHooks(d) : {}),
        ...this.undeliveredHook(d),
        ...(d.rateLimitPerSecond === null
          ? {}
          : { rate: new TokenBucket(d.rateLimitPerSecond, this.o.now()) }),
        ...(this.o.decide ? { decide: this.o.decide } : {}),
        // A conversation body is read and held per contact: those rows go one by one.
        ...(sendsBatches(d, transport)
          ? {
              batch: {
                size: limits.size,
                handle: (rows, ctx) => this.o.deliverBatch(entry, rows, ctx),
              },
            }
          : {}),
      },
    };
    return entry;
  }

  /**
   * A conversation destination holds a contact's first message for its batch window (the contact's
   * later rows wait behind it), and a sent body supersedes the rows whose messages it carried.
   */
  private conversationHooks(d: Destination): Pick<DispatchTarget, 'holdUntil' | 'coverage'> {
    const w = d.batchWindowMs;
    return {
      ...(this.o.coverage ? { coverage: this.o.coverage } : {}),
      ...(w > 0 ? { holdUntil: (row: ClaimedRow, now: number) => batchWindowEnd(row.event, w, now) } : {}),
    };
  }

  /** `undelivered_after_seconds`: a message's `status.sent` row waits out the timer before its attempt. */
  private undeliveredHook(d: Destination): Pick<DispatchTarget, 'holdUntil'> {
    const ms = undeliveredAfterMs(d);
    return ms === null
      ? {}
      : { holdUntil: (row: ClaimedRow, now: number) => undeliveredDue(row.event, ms, now) };
  }

  /** Enabled destinations, for the processor (which rows to write) and the dispatcher. */
  targets(): ReadonlyArray<OutboxTarget & DispatchTarget> {
    return this.enabled.map((e) => e.target);
  }

  get(id: string): DestinationEntry | undefined {
    return this.entries.get(id);
  }

  /** Whether more than one enabled destination makes a format `event` body (EventBodies). */
  sharesEventBodies(): boolean {
    return this.sharedBodies;
  }

  /** The longest attempt of any destination, for the dispatcher's lease. */
  longestTimeoutMs(): number {
    return Math.max(0, ...this.enabled.map((e) => e.target.timeoutMs));
  }

  async close(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    this.enabled = [];
    await Promise.all(all.map((e) => e.transport.close().catch(() => undefined)));
  }
}
