/**
 * One attempt of a destination: the event formatted (a conversation read first for format
 * `conversation`), sent by the destination's transport, logged in the attempt log, a 410 disabling
 * the destination. A transport that sends many messages at once (sendBatch, e.g. a pipelined
 * JetStream publish) gets a batch of rows in one attempt, each with its own outcome.
 */
import type { DestinationMetrics } from '../observability/destination-metrics.js';
import type { ClaimedRow } from '../ports/outbox.js';
import type { ConversationStore } from '../ports/conversation-store.js';
import type { OutboundMessage, TransportResult } from '../ports/destination-transport.js';
import type { HandlerContext, RowOutcome } from './dispatch-target.js';
import { makesEventBody, type DestinationEntry } from './destination-set.js';
import type { AttemptRecorder } from './attempt-recorder.js';
import { describeError } from './decide-failure.js';
import { outboundMessage, type ConversationAtSend } from './outbound-message.js';
import { conversationAtSend } from './conversation-at-send.js';
import { EventBodies } from './event-bodies.js';
import { transformMessage } from './transform-message.js';

/** How much of a transformed body the attempt log keeps. */
const BODY_EXCERPT_CHARS = 512;
const excerpt = (body: string) =>
  body.length > BODY_EXCERPT_CHARS ? `${body.slice(0, BODY_EXCERPT_CHARS - 1)}…` : body;

/** A message ready to send and what the attempt log shows of its body, or why it could not be made. */
type Prepared =
  | { readonly message: OutboundMessage; readonly bodyExcerpt: string | null }
  | { readonly failure: TransportResult };

/** A failed attempt, carrying the transport's result for the retry decision (Retry-After). */
export class DestinationAttemptError extends Error {
  constructor(readonly result: TransportResult) {
    super(result.error ?? (result.status === null ? 'failed' : `HTTP ${result.status}`));
    this.name = 'DestinationAttemptError';
  }
}

export interface DestinationDeliveryOptions {
  readonly conversations: ConversationStore;
  readonly recorder: AttemptRecorder;
  readonly metrics: DestinationMetrics;
  readonly now: () => number;
  /** The receiver answered 410: the destination is disabled. */
  readonly gone: (entry: DestinationEntry) => Promise<void>;
  /** Whether several enabled destinations make format `event` bodies (EventBodies keeps them then). */
  readonly sharedBodies?: () => boolean;
}

const failed = (err: unknown): TransportResult => ({
  ok: false,
  status: null,
  durationMs: 0,
  responseExcerpt: null,
  error: describeError(err),
});

export class DestinationDelivery {
  /** Wamids carried by each delivered conversation body, until the dispatcher records the row. */
  private readonly covered = new Map<string, readonly string[]>();
  /** Format `event` bodies, made once per event for all the destinations it goes to. */
  private readonly bodies = new EventBodies();

  constructor(private readonly o: DestinationDeliveryOptions) {}

  /** One row; throws when the attempt failed. */
  async deliver(entry: DestinationEntry, row: ClaimedRow, ctx: HandlerContext): Promise<void> {
    // The attempt is logged at its start: the failing clock of a destination starts when it was tried.
    const at = this.o.now();
    const { result, carried, bodyExcerpt } = await this.send(entry, row, ctx.signal);
    this.o.metrics.latency.observe({ destination: entry.destination.id }, result.durationMs / 1000);
    this.log(entry, row, ctx.attempt, result, at, bodyExcerpt);
    if (result.gone) await this.o.gone(entry);
    if (!result.ok) throw new DestinationAttemptError(result);
    // The body carried these messages: their own rows need not be sent (the dispatcher supersedes them).
    if (carried) this.covered.set(row.id, carried);
  }

  /** Many rows in one attempt of a transport with sendBatch (never format `conversation`). */
  async deliverBatch(
    entry: DestinationEntry,
    rows: readonly ClaimedRow[],
    ctx: HandlerContext,
  ): Promise<RowOutcome[]> {
    const at = this.o.now();
    const d = entry.destination;
    const sendBatch = entry.transport.sendBatch?.bind(entry.transport);
    if (!sendBatch) throw new Error(`destination ${d.name} cannot send batches`);
    // Without a transform a body is made synchronously: no promise per row.
    const prepared: readonly Prepared[] = entry.transform
      ? await Promise.all(rows.map((row) => this.prepare(entry, row, undefined)))
      : rows.map((row) => ({ message: this.format(entry, row, undefined), bodyExcerpt: null }));
    // Rows whose body could not be made (a failing transform) fail alone; the others go together.
    const ready: OutboundMessage[] = [];
    for (const p of prepared) if ('message' in p) ready.push(p.message);
    this.o.metrics.inFlight.inc({ destination: d.id }, ready.length);
    let sent: readonly TransportResult[] = [];
    try {
      sent = ready.length === 0 ? [] : await sendBatch(ready, ctx.signal);
    } catch (err) {
      sent = ready.map(() => failed(err));
    } finally {
      this.o.metrics.inFlight.dec({ destination: d.id }, ready.length);
    }
    let next = 0;
    const outcomes = rows.map((row, i): RowOutcome => {
      const p = prepared[i] as Prepared;
      const result =
        'failure' in p
          ? p.failure
          : (sent[next++] ?? failed(new Error('the transport gave no result for this message')));
      this.o.metrics.latency.observe({ destination: d.id }, result.durationMs / 1000);
      this.log(entry, row, row.attempts + 1, result, at, 'failure' in p ? null : p.bodyExcerpt);
      return result.ok ? { ok: true } : { ok: false, error: new DestinationAttemptError(result) };
    });
    if (sent.some((r) => r.gone)) await this.o.gone(entry);
    return outcomes;
  }

  takeCoverage(rowId: string): readonly string[] | undefined {
    const wamids = this.covered.get(rowId);
    this.covered.delete(rowId);
    return wamids;
  }

  private log(
    entry: DestinationEntry,
    row: ClaimedRow,
    attempt: number,
    result: TransportResult,
    at: number,
    bodyExcerpt: string | null,
  ): void {
    this.o.recorder.record({
      destinationId: entry.destination.id,
      outboxId: row.id,
      eventId: row.eventId ?? null,
      eventName: row.event.name,
      attempt,
      ok: result.ok,
      status: result.status,
      durationMs: result.durationMs,
      error: result.ok ? null : (result.error ?? `HTTP ${result.status}`),
      responseExcerpt: result.responseExcerpt,
      bodyExcerpt,
      at,
    });
  }

  /** The row in the destination's format, untransformed. */
  private format(
    entry: DestinationEntry,
    row: ClaimedRow,
    conversation: ConversationAtSend | undefined,
  ): OutboundMessage {
    const stored = { id: row.eventId ?? '', event: row.event };
    const body =
      entry.destination.format !== 'event'
        ? undefined
        : makesEventBody(entry)
          ? this.bodies.body(stored, this.o.sharedBodies?.() ?? true)
          : '';
    return outboundMessage(entry.destination, entry.secrets, stored, conversation, body);
  }

  /** The row formatted (and transformed): a transform failing on this event fails this attempt only. */
  private async prepare(
    entry: DestinationEntry,
    row: ClaimedRow,
    conversation: ConversationAtSend | undefined,
  ): Promise<Prepared> {
    const message = this.format(entry, row, conversation);
    if (!entry.transform) return { message, bodyExcerpt: null };
    const started = performance.now();
    try {
      const transformed = await transformMessage(message, entry.transform, entry.secrets.current);
      // The log shows what a transform made of the event; an untransformed body is the event itself.
      return { message: transformed, bodyExcerpt: excerpt(transformed.body) };
    } catch (err) {
      return { failure: { ...failed(err), durationMs: performance.now() - started } };
    }
  }

  /** Formats and sends one row; a conversation that cannot be read is a failed attempt, in the log. */
  private async send(
    entry: DestinationEntry,
    row: ClaimedRow,
    signal: AbortSignal,
  ): Promise<{ result: TransportResult; carried?: readonly string[]; bodyExcerpt: string | null }> {
    const d = entry.destination;
    let conversation: ConversationAtSend | undefined;
    let prepared: Prepared;
    try {
      if (d.format === 'conversation')
        conversation = await conversationAtSend(this.o.conversations, row.event, this.o.now());
      prepared = await this.prepare(entry, row, conversation);
    } catch (err) {
      return { result: failed(err), bodyExcerpt: null };
    }
    if ('failure' in prepared) return { result: prepared.failure, bodyExcerpt: null };
    const { message, bodyExcerpt } = prepared;
    this.o.metrics.inFlight.inc({ destination: d.id });
    try {
      const result = await entry.transport.send(message, signal);
      const carried = conversation?.view.recentMessages.map((m) => m.wamid);
      return { result, bodyExcerpt, ...(carried ? { carried } : {}) };
    } catch (err) {
      // The port says send never throws; a kind that does still makes a failed attempt, not a crash.
      return { result: failed(err), bodyExcerpt };
    } finally {
      this.o.metrics.inFlight.dec({ destination: d.id });
    }
  }
}
