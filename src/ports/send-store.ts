/**
 * Sends through the Cloud API (docs/sending.md): each one recorded before the request leaves, its
 * outcome written when Meta answers, found again by id, wamid or idempotency key; and the facts the
 * guards read (the contact's last inbound message on that number, the template's latest state).
 * Adapters: src/adapters/sqlite/send-store.ts, src/adapters/postgres/send-store.ts; conformance in
 * test/conformance/send-store.conformance.ts.
 */
import type { MessageFallback } from '../events/event-json.js';

/** `sending` until Meta answers; a `sending` row past its deadline reads as `unknown`. */
export type SendState = 'sending' | 'accepted' | 'failed' | 'unknown';

export interface NewSend {
  readonly id: string;
  readonly idempotencyKey: string | null;
  /** Hash of what was asked (number, recipient, message): a reused key with another body is refused. */
  readonly requestHash: string;
  readonly phoneNumberId: string;
  /** `to` as given, or the BSUID. */
  readonly recipient: string;
  readonly recipientKind: 'phone' | 'bsuid';
  readonly type: string;
  readonly templateName: string | null;
  readonly templateLanguage: string | null;
  /** The message object sent to Meta, as JSON text. */
  readonly message: string;
  readonly smsFallbackText: string | null;
  readonly forced: boolean;
  readonly createdAt: number;
  /** After this a row still `sending` is `unknown` (its process died or never heard back). */
  readonly deadlineAt: number;
}

export interface SendOutcome {
  readonly state: Exclude<SendState, 'sending'>;
  readonly wamid: string | null;
  readonly waId: string | null;
  readonly userId: string | null;
  readonly messageStatus: string | null;
  readonly httpStatus: number | null;
  readonly fbtraceId: string | null;
  /** What happened when there is no wamid (Meta's error, a timeout …), as a JSON-able object. */
  readonly outcome: Readonly<Record<string, unknown>> | null;
  readonly answeredAt: number;
}

/** `fallback` of the message JSON (docs/sending.md), written by the SMS fallback: the message's own shape. */
export type SendFallback = MessageFallback;

export interface SendRecord extends NewSend {
  /** As stored: `sending` rows are not turned into `unknown` here (sendStateAt does that). */
  readonly state: SendState;
  readonly wamid: string | null;
  readonly waId: string | null;
  readonly userId: string | null;
  readonly messageStatus: string | null;
  readonly httpStatus: number | null;
  readonly fbtraceId: string | null;
  readonly outcome: Readonly<Record<string, unknown>> | null;
  readonly fallback: SendFallback | null;
  readonly answeredAt: number | null;
}

export type BeginResult =
  | { readonly created: true }
  /** The idempotency key was taken: the row of the first caller. */
  | { readonly created: false; readonly existing: SendRecord };

export interface TemplateFacts {
  /** Latest `template.status` event (APPROVED, PAUSED, REINSTATED …), or null when none was seen. */
  readonly status: string | null;
  readonly reason: string | null;
  /** MARKETING, UTILITY, AUTHENTICATION, or null when unknown. */
  readonly category: string | null;
}

export interface GuardQuery {
  readonly phoneNumberId: string;
  /** Digits of the phone number, when sending by number. */
  readonly waId: string | null;
  /** The BSUID, when sending by BSUID. */
  readonly userId: string | null;
  readonly template: { readonly name: string; readonly language: string | null } | null;
}

export interface GuardFacts {
  /** The contact's newest inbound message to this number (any of their identifiers), or null. */
  readonly lastInboundAt: number | null;
  readonly template: TemplateFacts | null;
}

export interface SendStore {
  /** Records a send before it leaves; with a key another caller holds, answers that caller's row. */
  begin(send: NewSend): Promise<BeginResult>;
  finish(id: string, outcome: SendOutcome): Promise<void>;
  get(id: string): Promise<SendRecord | null>;
  getByWamid(wamid: string, phoneNumberId?: string): Promise<SendRecord | null>;
  getByKey(idempotencyKey: string): Promise<SendRecord | null>;
  setFallback(id: string, fallback: SendFallback): Promise<void>;
  guardFacts(query: GuardQuery): Promise<GuardFacts>;
  close(): Promise<void>;
}

/** A `sending` row whose deadline passed is `unknown`: Meta may or may not have it, nobody will say. */
export function sendStateAt(send: SendRecord, now: number): SendState {
  return send.state === 'sending' && now > send.deadlineAt ? 'unknown' : send.state;
}
