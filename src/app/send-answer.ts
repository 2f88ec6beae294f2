/**
 * The answer to a send, built from its record alone: the first caller and every later caller with
 * the same Idempotency-Key (in any process, after any restart) get the same status and body.
 */
import { ERRORS, WharfError, type ErrorCode } from '../errors.js';
import { sendStateAt, type SendRecord } from '../ports/send-store.js';

export interface SendAnswer {
  readonly status: number;
  readonly body: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string>>;
}

/** A failed send as an exception (library and handlers): the answer the API would give is in `answer`. */
export class SendError extends WharfError {
  constructor(readonly answer: SendAnswer) {
    const error = (answer.body.error ?? {}) as { code?: ErrorCode; message?: string };
    const code = error.code ?? 'INTERNAL';
    super(code, error.message?.replace(`${ERRORS[code].message}: `, '') || undefined);
  }
}

export function errorAnswer(
  code: ErrorCode,
  detail: string | undefined,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): SendAnswer {
  const err = new WharfError(code, detail);
  return { status: err.status, body: { ...err.toJSON(), ...extra }, headers };
}

const retryAfter = (ms: unknown): Record<string, string> =>
  typeof ms === 'number' && ms > 0 ? { 'retry-after': String(Math.ceil(ms / 1000)) } : {};

export function answerOf(send: SendRecord, now: number): SendAnswer {
  const state = sendStateAt(send, now);
  const base = { id: send.id, wamid: send.wamid, status: state, forced: send.forced };
  if (state === 'accepted')
    return { status: 201, body: { ...base, message_status: send.messageStatus }, headers: {} };
  const o = send.outcome ?? {};
  if (state === 'failed' && o.kind === 'meta_error')
    return errorAnswer(
      'META_ERROR',
      String((o.meta_error as { title?: unknown } | undefined)?.title ?? 'error'),
      { ...base, http_status: send.httpStatus, meta_error: o.meta_error },
      retryAfter(o.retry_after_ms),
    );
  if (state === 'failed' && o.kind === 'http_error')
    return errorAnswer('META_ERROR', `HTTP ${send.httpStatus ?? '?'} without a Graph error body`, {
      ...base,
      http_status: send.httpStatus,
      meta_error: null,
      response_excerpt: o.excerpt ?? null,
    });
  if (state === 'failed')
    return errorAnswer('META_UNREACHABLE', String(o.message ?? ''), { ...base, reason: o.message ?? null });
  const why =
    state === 'sending'
      ? 'still being sent by another caller'
      : o.kind === 'timeout'
        ? `no answer within ${String(o.timeout_ms)} ms`
        : o.kind === 'lost'
          ? `the connection broke after the request left (${String(o.message)})`
          : 'the process sending it stopped before Meta answered';
  return errorAnswer('SEND_OUTCOME_UNKNOWN', why, { ...base, reason: why });
}
