/**
 * Kind `http`: POSTs the prepared body to any URL (n8n, Zapier, Make, a CRM, your
 * service), signed the Standard Webhooks way, over a keep-alive pool per destination whose
 * connector refuses forbidden addresses (SSRF) at connect time.
 */
import { Pool } from 'undici';
import type { ResolveHost } from '../../core/destinations/check-destination-url.js';
import type {
  DestinationTransport,
  OutboundMessage,
  TransportResult,
} from '../../ports/destination-transport.js';
import { guardedConnector } from './guarded-connector.js';
import { postJson } from './post-json.js';
import { standardWebhookHeaders } from './standard-webhook-headers.js';
import { describeSendError } from './describe-send-error.js';
import { urlSecrets } from './broker-attempt.js';

/** How every HTTP kind (http, slack, the SMS providers) is opened, besides its own settings. */
export interface HttpClientOptions {
  readonly timeoutMs: number;
  /** Connections kept to the receiver (the destination's max_in_flight). */
  readonly maxInFlight: number;
  readonly allowPrivate: boolean;
  readonly userAgent: string;
  readonly lookup?: ResolveHost;
  /** Wall clock, epoch ms (Retry-After dates; webhook-timestamp of `http`). */
  readonly now?: () => number;
}

export interface HttpTransportOptions extends HttpClientOptions {
  readonly url: string;
  /** The destination's `headers` setting (e.g. an Authorization the receiver wants). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The live signing secrets, read on every send so a rotation needs no re-open. */
  readonly secrets: () => readonly string[];
  /** The `redirect_means_delivered` setting: a 3xx answer counts as delivered (not followed). */
  readonly redirectMeansDelivered?: boolean;
}

/** Opens a pool for `url`. The first connection is made by the first send, never here. */
export function createHttpPool(
  url: URL,
  o: { allowPrivate: boolean; lookup?: ResolveHost; timeoutMs: number; maxInFlight: number },
): Pool {
  return new Pool(url.origin, {
    connections: Math.max(1, o.maxInFlight),
    connect: guardedConnector({ allowPrivate: o.allowPrivate, lookup: o.lookup, timeoutMs: o.timeoutMs }),
    keepAliveTimeout: 30_000,
  });
}

/** Lower-cased header names, so a setting cannot smuggle a second spelling past ours. */
export function lowerKeys(h: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) out[k.toLowerCase()] = v;
  return out;
}

/**
 * `https://user:password@host/…` (how some receivers hand out a URL) as Basic auth: the pool
 * connects to the origin, where the user part of the URL would otherwise be dropped silently.
 */
function basicAuth(url: URL): Record<string, string> {
  if (url.username === '' && url.password === '') return {};
  const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return { authorization: `Basic ${Buffer.from(pair).toString('base64')}` };
}

export function createHttpTransport(o: HttpTransportOptions): DestinationTransport {
  const url = new URL(o.url);
  const pool = createHttpPool(url, o);
  const now = o.now ?? Date.now;
  const path = `${url.pathname}${url.search}`;
  const fixed = { ...basicAuth(url), ...lowerKeys(o.headers) };
  const passwords = urlSecrets(o.url);
  return {
    async send(message: OutboundMessage, signal: AbortSignal): Promise<TransportResult> {
      const signing = o.secrets();
      const secrets = [...signing, ...passwords];
      let signed: Record<string, string>;
      try {
        signed = standardWebhookHeaders(message.id, now(), message.body, signing);
      } catch (err) {
        return {
          ok: false,
          status: null,
          durationMs: 0,
          responseExcerpt: null,
          error: describeSendError(err, secrets),
        };
      }
      const headers = {
        ...fixed,
        ...lowerKeys(message.headers),
        ...signed,
        'content-type': 'application/json',
        'user-agent': o.userAgent,
      };
      return postJson(pool, {
        path,
        headers,
        body: message.body,
        timeoutMs: o.timeoutMs,
        signal,
        now,
        secrets,
        redirectMeansDelivered: o.redirectMeansDelivered === true,
      });
    },
    async close() {
      if (!pool.closed) await pool.close();
    },
  };
}
