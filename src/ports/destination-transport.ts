/**
 * How a destination's prepared message leaves Wharf: a destination is an outbox target stored in the
 * database, handed events by the same dispatcher as handlers. The dispatcher formats the event
 * (format `event` | `meta` | `conversation`, then the optional transform) and hands the result to the
 * transport of the destination's kind. Adapters: src/adapters/destinations/<kind>.ts (http, slack,
 * nats, rabbitmq, redis, email, …), each opened by the composition root from a Destination.
 */
import type { AnyWharfEvent } from '../events/wharf-event.js';

/** One (event, destination) hand-off, ready to send. */
export interface OutboundMessage {
  /** `webhook-id`: stable across every retry and replay of this (event, destination) pair. */
  readonly id: string;
  /** The event's idempotency key (NATS message id, Redis/AMQP message id). */
  readonly eventKey: string;
  /** Event name, e.g. `status.failed` (subject / routing key / stream templates use it). */
  readonly name: string;
  readonly phoneNumberId: string | null;
  /** The body to send: the formatted (and transformed) payload as JSON text. */
  readonly body: string;
  /** Headers the format adds (e.g. `X-Hub-Signature-256` for format `meta`). */
  readonly headers: Readonly<Record<string, string>>;
  /** The event itself, for kinds that write for a person (slack, email) and database sinks. */
  readonly event: AnyWharfEvent;
  /** Wharf's row id of the event (`id` of format `event`), or '' when it has none (a test). */
  readonly eventId?: string;
  /** The body is the result of the destination's `transform`: slack sends it as it is. */
  readonly transformed?: boolean;
}

/** The outcome of one attempt, as the attempt log records it. */
export interface TransportResult {
  readonly ok: boolean;
  /** HTTP status (or null for brokers / network errors). */
  readonly status: number | null;
  readonly durationMs: number;
  /** The first bytes of the receiver's answer (≤ 512 characters), or null. */
  readonly responseExcerpt: string | null;
  /** Why it failed, in plain words, never holding a secret; null when ok. */
  readonly error: string | null;
  /** The receiver asked to wait (HTTP `Retry-After`), in ms. */
  readonly retryAfterMs?: number;
  /** The receiver said it is gone for good (HTTP 410): the destination is disabled. */
  readonly gone?: boolean;
}

export interface DestinationTransport {
  /** Sends one message. Never throws: every failure is a TransportResult with ok false. */
  send(message: OutboundMessage, signal: AbortSignal): Promise<TransportResult>;
  /**
   * Kinds that can have many messages in flight on one connection (a pipelined broker publish):
   * sends them all in one attempt, one result per message in the same order. Never throws.
   */
  sendBatch?(messages: readonly OutboundMessage[], signal: AbortSignal): Promise<readonly TransportResult[]>;
  /**
   * What the destination's max_in_flight counts for a kind with sendBatch: `attempts` (default; a
   * broker pipelines that many batches) or `messages` (a database sink: at most that many rows
   * waiting for their statement, so its batches together hold no more).
   */
  readonly inFlightCounts?: 'attempts' | 'messages';
  /**
   * `POST …/test` of a kind that can try a delivery without leaving it behind (database sinks: the
   * row is inserted in a transaction that is rolled back). Absent: the test sends for real.
   */
  probe?(message: OutboundMessage, signal: AbortSignal): Promise<TransportResult>;
  /** Releases connections (broker clients, HTTP pools). */
  close(): Promise<void>;
}
