/**
 * One request to an SMS provider (sms-twilio.ts, sms-http.ts) over a pool with the SSRF guard: the
 * whole answer (≤ 16 KiB, the provider's message id may come late in it) and, when there is no answer,
 * whether the request can have left. Connection failures (refused, DNS, connect timeout, a forbidden
 * address) mean nothing was sent; a timeout or reset after the request was written means it may have
 * been. Never throws.
 */
import type { Dispatcher, Pool } from 'undici';
import { parseRetryAfter } from '../../core/destinations/parse-retry-after.js';
import { WharfError } from '../../errors.js';
import type { SmsResult } from '../../ports/sms-provider.js';
import { describeSendError } from './describe-send-error.js';
import { EXCERPT_MAX, type PostJsonRequest } from './post-json.js';

const READ_MAX_BYTES = 16 * 1024;

/** Errors raised before a request can have reached the provider. */
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export type SmsAnswer =
  | {
      readonly answered: true;
      readonly status: number;
      readonly text: string;
      readonly retryAfterMs?: number;
      readonly durationMs: number;
    }
  | {
      readonly answered: false;
      /** True when the request cannot have left (nothing sent). */
      readonly notSent: boolean;
      readonly error: string;
      readonly durationMs: number;
    };

function notSent(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e !== null && typeof e === 'object' && depth < 5; depth++) {
    if (e instanceof WharfError) return true; // the SSRF guard refused to connect
    if (e instanceof AggregateError) return e.errors.every(notSent);
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_SENT.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export async function smsRequest(
  pool: Pool,
  req: Omit<PostJsonRequest, 'redirectMeansDelivered'>,
): Promise<SmsAnswer> {
  const started = performance.now();
  const timeout = AbortSignal.timeout(req.timeoutMs);
  const signal = AbortSignal.any([req.signal, timeout]);
  const elapsed = () => Math.round(performance.now() - started);
  let res: Dispatcher.ResponseData | undefined;
  try {
    res = await pool.request({
      path: req.path,
      method: 'POST',
      headers: req.headers,
      body: req.body,
      signal,
      headersTimeout: req.timeoutMs,
      bodyTimeout: req.timeoutMs,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= READ_MAX_BYTES) {
        res.body.destroy();
        break;
      }
    }
    const retry = res.headers['retry-after'];
    const retryAfterMs = parseRetryAfter(Array.isArray(retry) ? retry[0] : retry, req.now());
    return {
      answered: true,
      status: res.statusCode,
      text: Buffer.concat(chunks).toString('utf8'),
      durationMs: elapsed(),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  } catch (err) {
    // An answer whose body broke off still had a status: the provider decided.
    if (res !== undefined) return { answered: true, status: res.statusCode, text: '', durationMs: elapsed() };
    const error = timeout.aborted
      ? `no answer within ${req.timeoutMs} ms (timeout_ms)`
      : req.signal.aborted
        ? 'the attempt was cancelled (Wharf is stopping)'
        : describeSendError(err, req.secrets);
    return { answered: false, notSent: notSent(err) && !timeout.aborted, error, durationMs: elapsed() };
  }
}

export const excerptOf = (text: string): string | null => (text === '' ? null : text.slice(0, EXCERPT_MAX));

/** Which refusals are final: the provider says this message can never go (bad number, unsubscribed). */
export const FINAL_STATUSES = new Set([400, 422]);

/**
 * The SmsResult of an answer: no answer is `refused` with a retry when nothing was sent, else
 * `unknown`; a 2xx is accepted with the provider's id read by `providerId`; any other status is
 * refused (for good when FINAL_STATUSES has it), with `refusedError`'s words.
 */
export function smsResult(
  a: SmsAnswer,
  providerId: (text: string) => string | null,
  refusedError: (status: number, text: string) => string,
): SmsResult {
  if (!a.answered)
    return {
      outcome: a.notSent ? { kind: 'refused', retry: true } : { kind: 'unknown' },
      status: null,
      durationMs: a.durationMs,
      responseExcerpt: null,
      error: a.error,
    };
  const base = { status: a.status, durationMs: a.durationMs, responseExcerpt: excerptOf(a.text) };
  if (a.status >= 200 && a.status < 300)
    return { outcome: { kind: 'accepted', providerId: providerId(a.text) }, ...base, error: null };
  return {
    outcome: {
      kind: 'refused',
      retry: !FINAL_STATUSES.has(a.status),
      ...(a.retryAfterMs !== undefined ? { retryAfterMs: a.retryAfterMs } : {}),
    },
    ...base,
    error: refusedError(a.status, a.text),
  };
}
