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
import { destinationIdOf, destinationTarget } from '../ports/destination-store.js';
import { nextDestinationAttempt } from '../core/destinations/destination-schedule.js';
import { deadLetterEvent, destinationDisabledEvent } from '../core/destinations/operational-event.js';
import { DEFAULT_RETRY_POLICY } from '../core/retry-schedule.js';
import { Dispatcher, type AttemptReport } from './dispatcher.js';
import { DestinationSet } from './destination-set.js';
import { DestinationAttemptError, DestinationDelivery } from './destination-delivery.js';
import { AttemptRecorder } from './attempt-recorder.js';
import { checkDestinationHealth } from './destination-health.js';
import { describeError } from './decide-failure.js';
import type { ConversationStore } from '../ports/conversation-store.js';
import type { DestinationKinds } from './destination-kinds.js';
import type { Destination } from '../core/destinations/destination.js';
import type { DestinationTransport } from '../ports/destination-transport.js';
import type { ActionStore } from '../ports/action-store.js';
import type { ReadStore } from '../ports/read-store.js';
import { createSmsFallbackTransport, type SendFacts } from './sms-fallback-transport.js';
import { createAlertTransport } from './alert-transport.js';

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
  /** SMS fallback claims and alert de-duplication (the action kinds sms, slack, email). */
  readonly actions: ActionStore;
  /** What the sms kind reads: the message and the contact (phone number, opt-out). */
  readonly reads: Pick<ReadStore, 'getContact' | 'getMessage'>;
  /** The send record (`sms_fallback_text`, template) of messages sent through Wharf, when sending is built in. */
  readonly sends?: SendFacts;
}

export { DestinationAttemptError } from './destination-delivery.js';

export class DestinationRuntime {
  readonly set: DestinationSet;
  private readonly recorder: AttemptRecorder;
  private readonly delivery: DestinationDelivery;
  private readonly dispatcher: Dispatcher;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;

  constructor(private readonly o: DestinationRuntimeOptions) {
    this.recorder = new AttemptRecorder(o.store, o.logger);
    this.delivery = new DestinationDelivery({
      conversations: o.conversations,
      recorder: this.recorder,
      metrics: o.metrics,
      now: o.now,
      gone: (e) => this.disable(e.destination.id, e.destination.name, 'the receiver answered 410 Gone'),
      sharedBodies: () => this.set.sharesEventBodies(),
    });
    this.set = new DestinationSet({
      store: o.store,
      kinds: o.kinds,
      now: o.now,
      deliver: (entry, row, ctx) => this.delivery.deliver(entry, row, ctx),
      deliverBatch: (entry, rows, ctx) => this.delivery.deliverBatch(entry, rows, ctx),
      decide: (row, error, now) => this.decide(row, error, now),
      coverage: (row) => this.delivery.takeCoverage(row.id),
      open: (d, secrets) => this.open(d, secrets),
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

  /** A destination's transport: the action kinds (sms, slack, email) with their bookkeeping around it. */
  private open(d: Destination, secrets: () => readonly string[]): DestinationTransport {
    const { actions, now } = this.o;
    if (d.kind === 'sms')
      return createSmsFallbackTransport({
        destination: d,
        provider: this.o.kinds.openSmsProvider(d),
        actions,
        reads: this.o.reads,
        ...(this.o.sends ? { sends: this.o.sends } : {}),
        now,
      });
    const inner = this.o.kinds.openTransport(d, secrets);
    if (d.kind === 'slack' || d.kind === 'email')
      return createAlertTransport({ destination: d, inner, actions, now });
    return inner;
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
