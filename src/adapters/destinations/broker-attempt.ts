/**
 * One attempt of a broker kind (nats, rabbitmq, redis, email) as a TransportResult: bounded by the
 * destination's timeout_ms and the dispatcher's AbortSignal, never throwing, errors in plain words
 * with the connection URL's credentials masked. Client libraries have no common cancel, so the
 * attempt stops waiting; the client's own timeouts end the work underneath.
 */
import type { TransportResult } from '../../ports/destination-transport.js';
import { describeSendError } from './describe-send-error.js';

export interface AttemptOptions {
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  /** Masked in error texts (a password in the broker URL). */
  readonly secrets: readonly string[];
}

class AttemptStopped extends Error {}

/**
 * The end of an attempt's wait: `stopped` rejects with AttemptStopped at timeout_ms or when the
 * dispatcher cancels; `release` clears the timer and the listener once the attempt is over.
 */
function attemptDeadline(o: AttemptOptions): { stopped: Promise<never>; release: () => void } {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new AttemptStopped(`no answer within ${o.timeoutMs} ms (timeout_ms)`)),
      o.timeoutMs,
    );
    onAbort = () => reject(new AttemptStopped('the attempt was cancelled (Wharf is stopping)'));
    if (o.signal.aborted) onAbort();
    else o.signal.addEventListener('abort', onAbort, { once: true });
  });
  return {
    stopped,
    release() {
      clearTimeout(timer);
      if (onAbort) o.signal.removeEventListener('abort', onAbort);
      stopped.catch(() => undefined);
    },
  };
}

export async function brokerAttempt(
  o: AttemptOptions,
  run: () => Promise<string | null>,
): Promise<TransportResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const { stopped, release } = attemptDeadline(o);
  const work = run();
  work.catch(() => undefined); // a late failure after a timeout is not an unhandled rejection
  try {
    const excerpt = await Promise.race([work, stopped]);
    return { ok: true, status: null, durationMs: elapsed(), responseExcerpt: excerpt, error: null };
  } catch (err) {
    const error = err instanceof AttemptStopped ? err.message : describeSendError(err, o.secrets);
    return { ok: false, status: null, durationMs: elapsed(), responseExcerpt: null, error };
  } finally {
    release();
  }
}

/** The password (and user) of a connection URL, to mask in error texts. */
export function urlSecrets(url: string): string[] {
  try {
    const u = new URL(url);
    return [u.password, decodeURIComponent(u.password)].filter((s) => s !== '');
  } catch {
    return [];
  }
}

/** How a batch's sends report: each message's result once, by its index. */
export interface BatchSettle {
  ok(index: number, excerpt: string | null): void;
  failed(index: number, err: unknown): void;
}

/**
 * One attempt of a broker kind on many messages at once (DestinationTransport.sendBatch): `start`
 * opens what it needs and starts every send without waiting (a pipelined publish), one result per
 * message. One timeout and one cancel for the whole batch; a send that has not answered when it
 * ends fails, those that answered keep their result.
 */
export function brokerBatchAttempt(
  o: AttemptOptions,
  count: number,
  start: () => Promise<ReadonlyArray<Promise<string | null>>>,
): Promise<TransportResult[]> {
  return brokerBatchSettled(o, count, async (settle) => {
    const sends = await start();
    await Promise.all(
      sends.map((p, i) =>
        p.then(
          (excerpt) => settle.ok(i, excerpt),
          (err: unknown) => settle.failed(i, err),
        ),
      ),
    );
  });
}

/**
 * The same for a transport that reports each message through `settle` (no promise per message):
 * `run` starts every send and resolves once each has reported. A message reported twice keeps its
 * first result.
 */
export async function brokerBatchSettled(
  o: AttemptOptions,
  count: number,
  run: (settle: BatchSettle) => Promise<void>,
): Promise<TransportResult[]> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const fail = (error: string): TransportResult => ({
    ok: false,
    status: null,
    durationMs: elapsed(),
    responseExcerpt: null,
    error,
  });
  const results: Array<TransportResult | undefined> = new Array<TransportResult | undefined>(count);
  const settle: BatchSettle = {
    ok(i, excerpt) {
      results[i] ??= { ok: true, status: null, durationMs: elapsed(), responseExcerpt: excerpt, error: null };
    },
    failed(i, err) {
      results[i] ??= fail(describeSendError(err, o.secrets));
    },
  };
  const { stopped, release } = attemptDeadline(o);
  const work = run(settle);
  work.catch(() => undefined); // a late failure after a timeout is not an unhandled rejection
  let error = 'the broker gave no answer for this message';
  try {
    await Promise.race([work, stopped]);
  } catch (err) {
    error = err instanceof AttemptStopped ? err.message : describeSendError(err, o.secrets);
  } finally {
    release();
  }
  return Array.from(results, (r) => r ?? fail(error));
}
