/**
 * Destinations at run time: the set of destinations kept in step with the store,
 * their rows delivered by a dispatcher of their own (same outbox, leases, dead letters and replay as
 * handlers, with the destination schedule), every attempt logged, 410 and long failure disabling,
 * and Wharf's own `wharf.*` events stored and handed to the destinations that ask for them.
 */
import { randomBytes } from 'node:crypto';
import type { AnyWharfEvent } from '../events/wharf-event.js';
import type { Logger } from '../observability/create-logger.js';
import type { DestinationMetrics } from '../observability/destination-metrics.js';
import type { AttemptFailure, ClaimedRow, Outbox } from '../ports/outbox.js';
import type { DestinationStore } from '../ports/destination-store.js';
import type { TransportResult } from '../ports/destination-transport.js';
import { destinationIdOf, destinationTarget } from '../ports/destination-store.js';
import { nextDestinationAttempt } from '../core/destinations/destination-schedule.js';
import { deadLetterEvent, destinationDisabledEvent } from '../core/destinations/operational-event.js';
import { DEFAULT_RETRY_POLICY } from '../core/retry-schedule.js';
import { Dispatcher, type AttemptReport, type HandlerContext } from './dispatcher.js';
import { DestinationSet, type DestinationEntry } from './destination-set.js';
import { AttemptRecorder } from './attempt-recorder.js';
import { checkDestinationHealth } from './destination-health.js';
import { describeError } from './decide-failure.js';
import { outboundMessage, type ConversationAtSend } from './outbound-message.js';
import type { ConversationStore } from '../ports/conversation-store.js';
import { conversationAtSend } from './conversation-at-send.js';
import type { DestinationKinds } from './destination-kinds.js';
import { transformMessage } from './transform-message.js';

/** How much of a transformed body the attempt log keeps. */
const BODY_EXCERPT_CHARS = 512;
const excerpt = (body: string) =>
  body.length > BODY_EXCERPT_CHARS ? `${body.slice(0, BODY_EXCERPT_CHARS - 1)}…` : body;

export interface DestinationRuntimeOptions {
  readonly store: DestinationStore;
  readonly outbox: Outbox;
  /** Read at send time by destinations of format `conversation`. */
  readonly conversations: ConversationStore;
  readonly kinds: DestinationKinds;
  /** Delay before each attempt (WHARF_DESTINATION_RETRY_SCHEDULE); then the row is a dead letter. */
  readonly schedule: readonly number[];
  /** WHARF_DESTINATION_DISABLE_AFTER_HOURS in ms. */
  readonly disableAfterMs: number;
  /** Lease on a claimed row at least this long (WHARF_LEASE_SECONDS); longer for a long timeout_ms. */
  readonly leaseMs: number;
  /** How often the set is re-read (changes by other processes) and health checked. */
  readonly pollMs: number;
  readonly now: () => number;
  readonly logger: Logger;
  readonly metrics: DestinationMetrics;
}

/** A failed attempt, carrying the transport's result for the retry decision (Retry-After). */
export class DestinationAttemptError extends Error {
  constructor(readonly result: TransportResult) {
    super(result.error ?? (result.status === null ? 'failed' : `HTTP ${result.status}`));
    this.name = 'DestinationAttemptError';
  }
}

export class DestinationRuntime {
  readonly set: DestinationSet;
  private readonly recorder: AttemptRecorder;
  private readonly dispatcher: Dispatcher;
  /** Wamids carried by each delivered conversation body, until the dispatcher records the row. */
  private readonly covered = new Map<string, readonly string[]>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;

  constructor(private readonly o: DestinationRuntimeOptions) {
    this.recorder = new AttemptRecorder(o.store, o.logger);
    this.set = new DestinationSet({
      store: o.store,
      kinds: o.kinds,
      now: o.now,
      deliver: (entry, row, ctx) => this.deliver(entry, row, ctx),
      decide: (row, error, now) => this.decide(row, error, now),
      coverage: (row) => this.takeCoverage(row.id),
    });
    this.dispatcher = new Dispatcher({
      outbox: o.outbox,
      targets: () => this.set.targets(),
      policy: DEFAULT_RETRY_POLICY, // unused: every destination target decides with the schedule
      workerId: `destinations-${randomBytes(4).toString('hex')}`,
      leaseMs: () => Math.max(o.leaseMs, this.set.longestTimeoutMs() + 5000),
      pollMs: o.pollMs,
      now: o.now,
      random: Math.random,
      logger: o.logger,
      onAttempt: (r) => this.onAttempt(r),
    });
  }

  /** Loads the destinations; `dispatch` false (an ingress-only process) delivers nothing. */
  async start(dispatch: boolean): Promise<void> {
    await this.set.refresh();
    if (!dispatch) return;
    this.dispatcher.start();
    this.timer = setInterval(() => void this.tick(), this.o.pollMs);
    this.timer.unref();
  }

  /** A destination was created, changed or deleted here: read them now, not at the next poll. */
  async changed(): Promise<void> {
    await this.set.refresh();
    this.dispatcher.wake();
  }

  wake(): void {
    this.dispatcher.wake();
  }

  /** Stores one of Wharf's own events with rows for the destinations that want it (never the one it is about). */
  async emit(event: AnyWharfEvent, aboutDestination: string | null): Promise<void> {
    const targets = this.set
      .targets()
      .filter(
        (t) =>
          t.wants(event) && t.id !== (aboutDestination === null ? '' : destinationTarget(aboutDestination)),
      )
      .map((t) => t.id);
    await this.o.store.recordEvent(event, targets, this.o.now());
    this.dispatcher.wake();
  }

  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = (async () => {
      try {
        await this.set.refresh();
        const disabled = await checkDestinationHealth(
          this.o.store,
          this.o.disableAfterMs,
          this.o.now(),
          (e, about) => this.emit(e, about),
        );
        if (disabled > 0) await this.set.refresh();
      } catch (err) {
        this.o.logger.error({ err: describeError(err) }, 'destination refresh failed; retrying');
      }
    })().finally(() => (this.ticking = undefined));
    await this.ticking;
  }

  private async deliver(entry: DestinationEntry, row: ClaimedRow, ctx: HandlerContext): Promise<void> {
    const d = entry.destination;
    // The attempt is logged at its start: the failing clock of a destination starts when it was tried.
    const at = this.o.now();
    const { result, carried, bodyExcerpt } = await this.send(entry, row, ctx);
    this.o.metrics.latency.observe({ destination: d.id }, result.durationMs / 1000);
    this.recorder.record({
      destinationId: d.id,
      outboxId: row.id,
      eventId: row.eventId ?? null,
      eventName: row.event.name,
      attempt: ctx.attempt,
      ok: result.ok,
      status: result.status,
      durationMs: result.durationMs,
      error: result.ok ? null : (result.error ?? `HTTP ${result.status}`),
      responseExcerpt: result.responseExcerpt,
      bodyExcerpt,
      at,
    });
    if (result.gone) await this.disable(d.id, d.name, 'the receiver answered 410 Gone');
    if (!result.ok) throw new DestinationAttemptError(result);
    // The body carried these messages: their own rows need not be sent (the dispatcher supersedes them).
    if (carried) this.covered.set(row.id, carried);
  }

  /** Formats and sends one row; a conversation that cannot be read is a failed attempt, in the log. */
  private async send(
    entry: DestinationEntry,
    row: ClaimedRow,
    ctx: HandlerContext,
  ): Promise<{ result: TransportResult; carried?: readonly string[]; bodyExcerpt: string | null }> {
    const d = entry.destination;
    const failed = (err: unknown): TransportResult => ({
      ok: false,
      status: null,
      durationMs: 0,
      responseExcerpt: null,
      error: describeError(err),
    });
    let conversation: ConversationAtSend | undefined;
    try {
      if (d.format === 'conversation')
        conversation = await conversationAtSend(this.o.conversations, row.event, this.o.now());
    } catch (err) {
      return { result: failed(err), bodyExcerpt: null };
    }
    const stored = { id: row.eventId ?? '', event: row.event };
    let message = outboundMessage(d, entry.secrets, stored, conversation);
    if (entry.transform) {
      const started = performance.now();
      try {
        message = await transformMessage(message, entry.transform, entry.secrets.current);
      } catch (err) {
        // A transform failing on this event fails this attempt only, with JSONata's reason logged.
        return { result: { ...failed(err), durationMs: performance.now() - started }, bodyExcerpt: null };
      }
    }
    // The log shows what a transform made of the event; an untransformed body is the event itself.
    const bodyExcerpt = entry.transform ? excerpt(message.body) : null;
    this.o.metrics.inFlight.inc({ destination: d.id });
    try {
      const result = await entry.transport.send(message, ctx.signal);
      const carried = conversation?.view.recentMessages.map((m) => m.wamid);
      return { result, bodyExcerpt, ...(carried ? { carried } : {}) };
    } catch (err) {
      // The port says send never throws; a kind that does still makes a failed attempt, not a crash.
      return { result: failed(err), bodyExcerpt };
    } finally {
      this.o.metrics.inFlight.dec({ destination: d.id });
    }
  }

  private takeCoverage(rowId: string): readonly string[] | undefined {
    const wamids = this.covered.get(rowId);
    this.covered.delete(rowId);
    return wamids;
  }

  /** Disables a destination (if still enabled) and says so with `wharf.destination.disabled`. */
  async disable(id: string, name: string, reason: string): Promise<void> {
    const now = this.o.now();
    if (!(await this.o.store.disable(id, reason, now))) return;
    this.o.logger.warn({ destination: id, name, reason }, 'destination disabled');
    await this.set.refresh();
    const data = { destinationId: id, destinationName: name, reason, failingSince: null };
    await this.emit(destinationDisabledEvent(data, now) as AnyWharfEvent, id);
  }

  private decide(row: ClaimedRow, error: unknown, now: number): AttemptFailure {
    const retryAfterMs = error instanceof DestinationAttemptError ? error.result.retryAfterMs : undefined;
    const next = nextDestinationAttempt(this.o.schedule, row.attempts + 1, retryAfterMs);
    const message = describeError(error);
    if (next.kind === 'dead')
      return { id: row.id, kind: 'dead', error: `${message} (gave up after ${row.attempts + 1} attempts)` };
    return { id: row.id, kind: 'retry', error: message, retryAt: now + next.delayMs, delayMs: next.delayMs };
  }

  private onAttempt(r: AttemptReport): void {
    const id = destinationIdOf(r.target) ?? r.target;
    const outcome = r.outcome === 'retry' ? 'failed' : r.outcome;
    this.o.metrics.attempts.inc({ destination: id, outcome });
    if (r.outcome !== 'dead') return;
    this.o.logger.warn(
      { destination: id, event: r.event.key, attempts: r.attempt },
      'destination gave up: dead letter',
    );
    this.deadLetter(r);
  }

  /** Emits `wharf.dead_letter` for a row (a destination's or a handler's) that used its last attempt. */
  deadLetter(r: AttemptReport): void {
    // A dead letter about a dead letter would feed itself: those are only logged.
    if (r.event.name === 'wharf.dead_letter') return;
    const id = destinationIdOf(r.target);
    const data = {
      outboxId: r.rowId,
      target: r.target,
      eventId: r.eventId ?? '',
      eventKey: r.event.key,
      eventName: r.event.name,
      attempts: r.attempt,
      error: describeError(r.error),
    };
    void this.emit(deadLetterEvent(data, this.o.now()) as AnyWharfEvent, id).catch((err: unknown) =>
      this.o.logger.error({ err: describeError(err) }, 'could not record wharf.dead_letter'),
    );
  }

  /** Stops claiming, lets attempts finish for `graceMs`, writes the attempt log, closes transports. */
  async stop(graceMs: number): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
    await this.dispatcher.stop(graceMs);
    await this.recorder.flush();
    await this.set.close();
  }
}
