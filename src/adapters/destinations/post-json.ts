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

/**
 * The POST as an undici dispatch handler: the answer's status and headers arrive as they are parsed
 * and its first bytes are kept as they come, with no response object, body stream or async
 * iterator per request; one timer for timeout_ms, which aborts the request through the handler. A
 * POST through pool.request() with its own AbortController cost about twice the main-thread CPU
 * (docs/benchmarks.md, "Forwarding through destinations").
 */
export function postJson(pool: Pool, req: PostJsonRequest): Promise<TransportResult> {
  return new Promise((resolve) => {
    const post = new PostHandler(req, resolve);
    pool.dispatch(
      {
        path: req.path,
        method: 'POST',
        headers: req.headers,
        body: req.body,
        headersTimeout: req.timeoutMs,
        bodyTimeout: req.timeoutMs,
      },
      post,
    );
  });
}

type Abort = (err: Error) => void;

/**
 * undici's own handler interface (its Request calls these; a handler without onRequestStart is
 * used as it is, not wrapped).
 */
class PostHandler {
  private readonly started = performance.now();
  private readonly timer: NodeJS.Timeout;
  private abortRequest: Abort | undefined;
  /** Why this side ended the request (timeout, cancel, enough of the answer read). */
  private stop: 'timeout' | 'cancelled' | 'read' | undefined;
  private status = 0;
  private retryAfter: string | undefined;
  private location: string | undefined;
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private done = false;
  private readonly onCancel = () => this.end('cancelled');

  constructor(
    private readonly req: PostJsonRequest,
    private readonly resolve: (r: TransportResult) => void,
  ) {
    this.timer = setTimeout(() => this.end('timeout'), req.timeoutMs);
    if (req.signal.aborted) this.onCancel();
    else req.signal.addEventListener('abort', this.onCancel, { once: true });
  }

  /** This side ends the request: it is aborted (now, or when it gets a connection) and answered. */
  private end(why: 'timeout' | 'cancelled'): void {
    if (this.done) return;
    this.stop = why;
    this.abortRequest?.(new Error(why));
    this.finish(this.failure(null));
  }

  onConnect(abort: Abort): void {
    if (this.done) abort(new Error(this.stop ?? 'ended'));
    else this.abortRequest = abort;
  }

  onHeaders(status: number, raw: Buffer[]): boolean {
    this.status = status;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i] as Buffer;
      // Only two headers are read: the first of each, as the answer's headers object held it.
      if (name.length === 11 && this.retryAfter === undefined && lower(name) === 'retry-after')
        this.retryAfter = (raw[i + 1] as Buffer).toString('latin1');
      else if (name.length === 8 && this.location === undefined && lower(name) === 'location')
        this.location = (raw[i + 1] as Buffer).toString('latin1');
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    this.size += chunk.length;
    // A long answer is not read to its end: the connection is dropped with the rest.
    if (this.size >= READ_MAX_BYTES && this.stop === undefined) {
      this.stop = 'read';
      this.abortRequest?.(new Error('enough of the answer read'));
    }
    return true;
  }

  onComplete(): void {
    this.answered();
  }

  onError(err: Error): void {
    if (this.stop === 'read') return this.answered();
    this.finish(this.failure(this.stop === undefined ? err : null));
  }

  onUpgrade(): void {
    this.onError(new Error('the receiver switched protocols'));
  }

  private answered(): void {
    const status = this.status;
    const excerpt =
      this.size === 0 ? null : Buffer.concat(this.chunks, this.size).toString('utf8').slice(0, EXCERPT_MAX);
    const base = { status, durationMs: this.elapsed(), responseExcerpt: excerpt };
    const redirect = status >= 300 && status < 400;
    if ((status >= 200 && status < 300) || (this.req.redirectMeansDelivered && redirect))
      return this.finish({ ok: true, ...base, error: null });
    const retryAfterMs = parseRetryAfter(this.retryAfter, this.req.now());
    this.finish({
      ok: false,
      ...base,
      error: answerError(status, this.location),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      ...(status === 410 ? { gone: true } : {}),
    });
  }

  private failure(err: Error | null): TransportResult {
    const error =
      this.stop === 'timeout'
        ? `no answer within ${this.req.timeoutMs} ms (timeout_ms)`
        : this.stop === 'cancelled' || this.req.signal.aborted
          ? 'the attempt was cancelled (Wharf is stopping)'
          : describeSendError(err, this.req.secrets);
    return { ok: false, status: null, durationMs: this.elapsed(), responseExcerpt: null, error };
  }

  private elapsed(): number {
    return Math.round(performance.now() - this.started);
  }

  private finish(result: TransportResult): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.timer);
    this.req.signal.removeEventListener('abort', this.onCancel);
    this.resolve(result);
  }
}

const lower = (b: Buffer) => b.toString('latin1').toLowerCase();

function answerError(status: number, location: string | undefined): string {
  if (status === 410)
    return 'the receiver answered 410 Gone: it wants no more events (the destination is disabled)';
  if (status >= 300 && status < 400)
    return `the receiver answered ${status}, a redirect${location ? ` to ${location}` : ''}; redirects are not followed, set the final URL`;
  return `the receiver answered ${status}`;
}
