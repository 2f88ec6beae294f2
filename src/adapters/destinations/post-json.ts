/**
 * One HTTP POST of a destination (http and slack kinds) with Standard Webhooks answer semantics: any 2xx
 * succeeds, 410 means gone for good, `Retry-After` is passed on, a 3xx is a failure (redirects are
 * never followed: following one could lead to a private address), a timeout or network error is a
 * failure named in plain words. Never throws.
 */
import type { Pool } from 'undici';
import { parseRetryAfter } from '../../core/destinations/parse-retry-after.js';
import type { TransportResult } from '../../ports/destination-transport.js';
import { describeSendError } from './describe-send-error.js';

export const EXCERPT_MAX = 512;
/** How much of an answer is read before the rest is dropped (with its connection). */
const READ_MAX_BYTES = 16 * 1024;

export interface PostJsonRequest {
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  /** Wall clock (epoch ms), for Retry-After dates. */
  readonly now: () => number;
  /** Masked in any error text. */
  readonly secrets: readonly string[];
  /**
   * A 3xx counts as delivered (still not followed): receivers that act on the POST and then redirect
   * to their output, as Google Apps Script web apps do.
   */
  readonly redirectMeansDelivered?: boolean;
}

export async function postJson(pool: Pool, req: PostJsonRequest): Promise<TransportResult> {
  const started = performance.now();
  // One controller, one timer and one listener: AbortSignal.timeout + AbortSignal.any per request
  // cost more main-thread time than the rest of the POST (docs/benchmarks.md, forwarding).
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error(`no answer within ${req.timeoutMs} ms`));
  }, req.timeoutMs);
  const onAbort = () => controller.abort(req.signal.reason);
  if (req.signal.aborted) onAbort();
  else req.signal.addEventListener('abort', onAbort, { once: true });
  const signal = controller.signal;
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const res = await pool.request({
      path: req.path,
      method: 'POST',
      headers: req.headers,
      body: req.body,
      signal,
      headersTimeout: req.timeoutMs,
      bodyTimeout: req.timeoutMs,
    });
    const excerpt = await readExcerpt(res.body);
    const status = res.statusCode;
    const base = { status, durationMs: elapsed(), responseExcerpt: excerpt };
    if (status >= 200 && status < 300) return { ok: true, ...base, error: null };
    if (req.redirectMeansDelivered && status >= 300 && status < 400)
      return { ok: true, ...base, error: null };
    const retryAfterMs = parseRetryAfter(header(res.headers['retry-after']), req.now());
    return {
      ok: false,
      ...base,
      error: answerError(status, header(res.headers.location)),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      ...(status === 410 ? { gone: true } : {}),
    };
  } catch (err) {
    const error = timedOut
      ? `no answer within ${req.timeoutMs} ms (timeout_ms)`
      : req.signal.aborted
        ? 'the attempt was cancelled (Wharf is stopping)'
        : describeSendError(err, req.secrets);
    return { ok: false, status: null, durationMs: elapsed(), responseExcerpt: null, error };
  } finally {
    clearTimeout(timer);
    req.signal.removeEventListener('abort', onAbort);
  }
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function answerError(status: number, location: string | undefined): string {
  if (status === 410)
    return 'the receiver answered 410 Gone: it wants no more events (the destination is disabled)';
  if (status >= 300 && status < 400)
    return `the receiver answered ${status}, a redirect${location ? ` to ${location}` : ''}; redirects are not followed, set the final URL`;
  return `the receiver answered ${status}`;
}

/** The first ≤ 512 characters of the answer; a long answer is not read to its end. */
async function readExcerpt(body: AsyncIterable<Buffer> & { destroy(): unknown }): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= READ_MAX_BYTES) {
      body.destroy();
      break;
    }
  }
  if (size === 0) return null;
  return Buffer.concat(chunks).toString('utf8').slice(0, EXCERPT_MAX);
}
