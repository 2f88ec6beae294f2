/**
 * Follows a running Wharf's GET /api/v1/stream (Server-Sent Events) and hands each event, in order
 * and one at a time, to `onEvent`. After a disconnect (Wharf restarted, the network dropped) it
 * reconnects with Last-Event-ID set to the last event handled, so nothing is lost and nothing is
 * handed over twice. The next bytes are read only once the current events are handled: a slow
 * receiver makes Wharf wait on its own cursor instead of growing a buffer here.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { authHeaders, unauthorized, unreachable, WharfApiError, type WharfApi } from '../wharf-api.js';

export interface StreamEvent {
  /** The event id (`id:` line): where a reconnection resumes. */
  readonly id: string;
  readonly name: string;
  /** The event JSON exactly as Wharf sent it. */
  readonly data: string;
}

export type StreamState =
  | { readonly kind: 'connected'; readonly after: string | undefined }
  | { readonly kind: 'lost'; readonly reason: string };

export interface FollowOptions {
  readonly api: WharfApi;
  /** Query of the stream (filters), without the `?`. */
  readonly query?: string;
  /** Resume after this event id; absent: from the next event committed. */
  readonly after?: string;
  readonly signal: AbortSignal;
  onEvent(event: StreamEvent): Promise<void>;
  onState?(state: StreamState): void;
  /** Wait before reconnecting, until the server's `retry:` says otherwise. */
  readonly retryMs?: number;
}

/** Wharf answered, but with a 5xx: a reconnection tries again, a first connection gives up. */
class Unavailable extends Error {}

/** Opens the stream; throws WharfApiError for what waiting will not fix (a refused token, 4xx). */
async function open(o: FollowOptions, after: string | undefined): Promise<Response> {
  const url = `${o.api.base}/api/v1/stream${o.query ? `?${o.query}` : ''}`;
  const res = await fetch(url, {
    headers: {
      accept: 'text/event-stream',
      ...authHeaders(o.api),
      ...(after === undefined ? {} : { 'last-event-id': after }),
    },
    signal: o.signal,
  });
  if (res.ok && res.body) return res;
  const text = await res.text().catch(() => '');
  let json: unknown = null;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    json = null;
  }
  if (res.status === 401) throw unauthorized(o.api, { status: 401, json });
  const message = (json as { error?: { message?: string } } | null)?.error?.message;
  const why = `Wharf at ${o.api.base} answered the stream with HTTP ${res.status} ${message ?? text}`.trim();
  // 5xx (shutting down, storage away): waiting may fix it, so a reconnection keeps trying.
  throw res.status >= 500 ? new Unavailable(why) : new WharfApiError(why);
}

/**
 * Runs until the signal aborts. The first connection must succeed (a Wharf that is not running is
 * an error at once); later ones are retried for as long as it takes.
 */
export async function followStream(o: FollowOptions): Promise<void> {
  let after = o.after;
  let retryMs = o.retryMs ?? 1000;
  let first = true;
  while (!o.signal.aborted) {
    let res: Response;
    try {
      res = await open(o, after);
    } catch (err) {
      if (o.signal.aborted) return;
      if (err instanceof WharfApiError) throw err;
      if (first) throw err instanceof Unavailable ? new WharfApiError(err.message) : unreachable(o.api, err);
      await sleep(retryMs, undefined, { signal: o.signal }).catch(() => undefined);
      continue;
    }
    first = false;
    o.onState?.({ kind: 'connected', after });
    const queue: EventSourceMessage[] = [];
    const parser = createParser({
      onEvent: (m) => void queue.push(m),
      onRetry: (ms) => (retryMs = ms),
    });
    let reason = 'Wharf closed the stream';
    try {
      const decoder = new TextDecoder();
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        parser.feed(decoder.decode(chunk, { stream: true }));
        while (queue.length > 0) {
          const m = queue.shift() as EventSourceMessage;
          if (m.id === undefined) continue;
          await o.onEvent({ id: m.id, name: m.event ?? 'message', data: m.data });
          after = m.id;
        }
      }
    } catch (err) {
      if (o.signal.aborted) return;
      reason = `connection lost (${(err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message})`;
    }
    if (o.signal.aborted) return;
    o.onState?.({ kind: 'lost', reason });
    await sleep(retryMs, undefined, { signal: o.signal }).catch(() => undefined);
  }
}
