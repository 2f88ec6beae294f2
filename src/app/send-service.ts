/**
 * Sending through the Cloud API (docs/sending.md), the one path behind
 * `POST /api/v1/messages`, `ctx.reply()`, `wharf.send()` and `wharf send`:
 * parse (422 naming the field) → guards (409, `wharf.send.refused`) unless forced → the number's
 * pace (429 past the queue) → the record, written before the request leaves (the Idempotency-Key
 * taken here: a second caller answers from the first one's row) → Meta → the outcome recorded.
 * Meta's throughput refusals (130429, 131056) are waited out and tried again while the send's time
 * lasts: Meta did not send those. Anything else Meta may have acted on is never sent again.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../observability/create-logger.js';
import type { GraphApi, GraphSendResult } from '../ports/graph-api.js';
import type { ReadStore } from '../ports/read-store.js';
import type { NewSend, SendOutcome, SendRecord, SendStore } from '../ports/send-store.js';
import type { AnyWharfEvent } from '../events/wharf-event.js';
import { parseSendRequest, type SendRequest } from '../core/send/parse-send-request.js';
import { checkSendGuards, type GuardRefusal } from '../core/send/send-guards.js';
import { requestHash } from '../core/send/request-hash.js';
import { SendPacer } from '../core/send/send-pacer.js';
import { metaErrorJson } from '../core/meta-error.js';
import { sendRefusedEvent } from '../core/destinations/operational-event.js';
import { answerOf, errorAnswer, type SendAnswer } from './send-answer.js';

export interface SendServiceOptions {
  readonly store: SendStore;
  readonly reads: ReadStore;
  /** Null without WHATSAPP_ACCESS_TOKEN: every send answers 503 SEND_NOT_CONFIGURED. */
  readonly graph: GraphApi | null;
  readonly ratePerNumber: number;
  readonly queuePerNumber: number;
  readonly timeoutMs: number;
  readonly now: () => number;
  readonly logger: Logger;
  /** Stores a `wharf.*` event for the destinations that want it. */
  readonly emit: (event: AnyWharfEvent) => Promise<void>;
  /** How often a second caller with the same key looks at the first one's row (default 50 ms). */
  readonly pollMs?: number;
}

export interface SendOptions {
  /** Skip the guards (`?force=true`); logged. */
  readonly force?: boolean;
  readonly idempotencyKey?: string | null;
  /** Who asked, for the log: `api`, `reply`, `library`. */
  readonly via?: string;
}

const THROTTLED = new Set([130429, 131056]);
const MAX_THROTTLE_TRIES = 4;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class SendService {
  private readonly pacers = new Map<string, SendPacer>();

  constructor(private readonly o: SendServiceOptions) {}

  async send(body: unknown, options: SendOptions = {}): Promise<SendAnswer> {
    const parsed = parseSendRequest(body);
    if (!parsed.ok)
      return errorAnswer('SEND_INVALID', `${parsed.field} ${parsed.problem}`, { field: parsed.field });
    if (this.o.graph === null) return errorAnswer('SEND_NOT_CONFIGURED', undefined);
    const r = parsed.request;
    const key = options.idempotencyKey ?? null;
    // What the key stands for; without a key nothing is compared with it.
    const hash = key === null ? '' : requestHash(r);
    if (key !== null) {
      const known = await this.o.store.getByKey(key);
      if (known !== null) return this.replay(known, hash);
    }
    if (options.force === true)
      this.o.logger.warn(
        { phone_number_id: r.phoneNumberId, type: r.type, via: options.via ?? 'api' },
        'send forced: guards skipped',
      );
    else {
      const refusal = await this.guards(r);
      if (refusal !== null) return this.refuse(r, refusal);
    }
    const reservation = this.pacer(r.phoneNumberId).reserve(this.o.now());
    if ('refusedRetryAfterMs' in reservation)
      return errorAnswer(
        'SEND_RATE_LIMITED',
        `more than ${this.o.queuePerNumber} sends wait for number ${r.phoneNumberId}`,
        {},
        { 'retry-after': String(Math.max(1, Math.ceil(reservation.refusedRetryAfterMs / 1000))) },
      );
    const record = this.newSend(r, key, hash, options.force === true, reservation.waitMs);
    const begun = await this.o.store.begin(record);
    if (!begun.created) return this.replay(begun.existing, hash);
    if (reservation.waitMs > 0) await sleep(reservation.waitMs);
    const outcome = await this.callMeta(r, record);
    await this.o.store.finish(record.id, outcome);
    this.log(record, outcome);
    return answerOf({ ...(record as unknown as SendRecord), ...outcome, fallback: null }, this.o.now());
  }

  private pacer(phoneNumberId: string): SendPacer {
    let p = this.pacers.get(phoneNumberId);
    if (p === undefined) {
      p = new SendPacer(this.o.ratePerNumber, this.o.queuePerNumber);
      this.pacers.set(phoneNumberId, p);
    }
    return p;
  }

  private async guards(r: SendRequest): Promise<GuardRefusal | null> {
    const facts = await this.o.store.guardFacts({
      phoneNumberId: r.phoneNumberId,
      waId: r.waId,
      userId: r.recipient,
      template: r.templateName === null ? null : { name: r.templateName, language: r.templateLanguage },
    });
    // The opt-out is read only when it can matter: a marketing template.
    const marketing = facts.template?.category?.toUpperCase() === 'MARKETING';
    const contact = marketing ? await this.o.reads.getContact(r.waId ?? (r.recipient as string)) : null;
    return checkSendGuards(
      {
        type: r.type,
        phoneNumberId: r.phoneNumberId,
        who: r.to ?? (r.recipient as string),
        templateName: r.templateName,
        templateLanguage: r.templateLanguage,
      },
      { ...facts, optedOut: contact?.marketingOptOut?.optedOut === true },
      this.o.now(),
    );
  }

  private async refuse(r: SendRequest, refusal: GuardRefusal): Promise<SendAnswer> {
    const now = this.o.now();
    const to = r.to ?? (r.recipient as string);
    const event = sendRefusedEvent(
      { code: refusal.code, reason: refusal.reason, phoneNumberId: r.phoneNumberId, to },
      `${now}:${randomBytes(6).toString('hex')}`,
      r.waId !== null ? { waId: r.waId } : { userId: r.recipient as string },
      now,
    );
    await this.o
      .emit(event as AnyWharfEvent)
      .catch((err: unknown) =>
        this.o.logger.error({ err: String(err) }, 'wharf.send.refused could not be stored'),
      );
    this.o.logger.info({ phone_number_id: r.phoneNumberId, code: refusal.code }, 'send refused by a guard');
    return errorAnswer(refusal.code, refusal.reason, { reason: refusal.reason });
  }

  private newSend(
    r: SendRequest,
    key: string | null,
    hash: string,
    forced: boolean,
    waitMs: number,
  ): NewSend {
    const now = this.o.now();
    return {
      id: `snd_${randomBytes(12).toString('base64url')}`,
      idempotencyKey: key,
      requestHash: hash,
      phoneNumberId: r.phoneNumberId,
      recipient: r.to ?? (r.recipient as string),
      recipientKind: r.to !== null ? 'phone' : 'bsuid',
      type: r.type,
      templateName: r.templateName,
      templateLanguage: r.templateLanguage,
      message: JSON.stringify(r.message),
      smsFallbackText: r.smsFallbackText,
      forced,
      createdAt: now,
      // Past this nobody is waiting for Meta's answer any more: the row reads `unknown`.
      deadlineAt: now + waitMs + this.o.timeoutMs * 2 + 5000,
    };
  }

  /** Another caller holds the key: the same message waits for that caller's outcome; another is refused. */
  private async replay(existing: SendRecord, hash: string): Promise<SendAnswer> {
    if (existing.requestHash !== hash)
      return errorAnswer('IDEMPOTENCY_KEY_REUSED', `it belongs to send ${existing.id}`, { id: existing.id });
    let row: SendRecord | null = existing;
    while (row !== null && row.state === 'sending' && this.o.now() <= row.deadlineAt) {
      await sleep(this.o.pollMs ?? 50);
      row = await this.o.store.get(existing.id);
    }
    const answer = answerOf(row ?? existing, this.o.now());
    return { ...answer, headers: { ...answer.headers, 'idempotent-replayed': 'true' } };
  }

  private async callMeta(r: SendRequest, record: NewSend): Promise<SendOutcome> {
    const graph = this.o.graph as GraphApi;
    const started = this.o.now();
    let result: GraphSendResult = await graph.sendMessage(r.phoneNumberId, r.message);
    for (let tries = 1; tries < MAX_THROTTLE_TRIES; tries++) {
      if (result.kind !== 'meta_error' || !THROTTLED.has(result.error.code ?? -1)) break;
      // Meta did not send a throttled message: wait as the error policy says, then try again.
      const waitMs = result.error.retryAfterMs ?? 1000 * 2 ** (tries - 1);
      if (result.error.code === 130429) this.pacer(r.phoneNumberId).holdUntil(this.o.now() + waitMs);
      if (this.o.now() + waitMs - started > this.o.timeoutMs) break;
      await sleep(waitMs);
      result = await graph.sendMessage(r.phoneNumberId, r.message);
    }
    return outcomeOf(result, this.o.now(), record);
  }

  private log(record: NewSend, o: SendOutcome): void {
    // The token is never in these fields; fbtrace_id is what Meta support asks for.
    const fields = {
      send_id: record.id,
      phone_number_id: record.phoneNumberId,
      wamid: o.wamid,
      fbtrace_id: o.fbtraceId,
      state: o.state,
      http_status: o.httpStatus,
    };
    if (o.state === 'accepted') this.o.logger.info(fields, 'message sent');
    else this.o.logger.warn({ ...fields, outcome: o.outcome }, 'message not sent');
  }
}

function outcomeOf(result: GraphSendResult, now: number, _record: NewSend): SendOutcome {
  const none = { wamid: null, waId: null, userId: null, messageStatus: null, answeredAt: now };
  switch (result.kind) {
    case 'accepted':
      return {
        state: 'accepted',
        wamid: result.wamid,
        waId: result.waId,
        userId: result.userId,
        messageStatus: result.messageStatus,
        httpStatus: result.httpStatus,
        fbtraceId: result.fbtraceId,
        outcome: null,
        answeredAt: now,
      };
    case 'meta_error':
      return {
        ...none,
        state: 'failed',
        httpStatus: result.httpStatus,
        fbtraceId: result.error.fbtraceId,
        outcome: {
          kind: 'meta_error',
          meta_error: metaErrorJson(result.error),
          ...(result.error.retryAfterMs === undefined ? {} : { retry_after_ms: result.error.retryAfterMs }),
        },
      };
    case 'http_error':
      return {
        ...none,
        state: 'failed',
        httpStatus: result.httpStatus,
        fbtraceId: null,
        outcome: { kind: 'http_error', excerpt: result.excerpt },
      };
    case 'unreachable':
      return {
        ...none,
        state: 'failed',
        httpStatus: null,
        fbtraceId: null,
        outcome: { kind: 'unreachable', message: result.message },
      };
    case 'timeout':
      return {
        ...none,
        state: 'unknown',
        httpStatus: null,
        fbtraceId: null,
        outcome: { kind: 'timeout', timeout_ms: result.timeoutMs },
      };
    case 'lost':
      return {
        ...none,
        state: 'unknown',
        httpStatus: null,
        fbtraceId: null,
        outcome: { kind: 'lost', message: result.message },
      };
  }
}
