/**
 * A minimal kind `http` for tests of the destination mechanism, built on fetch: Standard Webhooks
 * headers (https://www.standardwebhooks.com/: v1 = base64 HMAC-SHA256 of "id.timestamp.body" with
 * the base64 key after `whsec_`), 2xx ok, 410 gone, Retry-After in seconds, the destination's
 * timeout, no redirects. The real kinds (src/adapters/destinations/) are wired by the server.
 */
import { createHmac } from 'node:crypto';
import type { DestinationKinds } from '../../src/app/destination-kinds.js';
import type { DestinationTransport, TransportResult } from '../../src/ports/destination-transport.js';

export function standardSignature(secret: string, id: string, timestamp: string, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

export function fetchDestinationKinds(): DestinationKinds {
  return {
    validateSettings(kind, settings) {
      if (kind !== 'http') return { field: 'kind', message: 'only http is available in these tests' };
      const url = settings['url'];
      if (typeof url !== 'string' || !/^https?:\/\//.test(url))
        return { field: 'url', message: 'must be an http(s) URL' };
      const unknown = Object.keys(settings).find((k) => k !== 'url' && k !== 'headers');
      return unknown === undefined ? null : { field: unknown, message: 'is not a setting of kind http' };
    },
    async checkUrl() {
      // These tests deliver to loopback receivers: the real SSRF check is the kinds' own, tested there.
    },
    openTransport(d, secrets): DestinationTransport {
      const url = String(d.settings['url']);
      const extra = (d.settings['headers'] ?? {}) as Record<string, string>;
      return {
        async send(m, signal): Promise<TransportResult> {
          const started = performance.now();
          const ts = String(Math.floor(Date.now() / 1000));
          const headers = {
            ...extra,
            ...m.headers,
            'content-type': 'application/json',
            'webhook-id': m.id,
            'webhook-timestamp': ts,
            'webhook-signature': secrets()
              .map((s) => standardSignature(s, m.id, ts, m.body))
              .join(' '),
          };
          try {
            const res = await fetch(url, {
              method: 'POST',
              body: m.body,
              headers,
              redirect: 'manual',
              signal: AbortSignal.any([signal, AbortSignal.timeout(d.timeoutMs)]),
            });
            const text = (await res.text()).slice(0, 512);
            const ok = res.status >= 200 && res.status < 300;
            const retryAfter = res.headers.get('retry-after');
            return {
              ok,
              status: res.status,
              durationMs: performance.now() - started,
              responseExcerpt: text === '' ? null : text,
              error: ok ? null : `HTTP ${res.status}`,
              ...(retryAfter !== null && /^\d+$/.test(retryAfter)
                ? { retryAfterMs: Number(retryAfter) * 1000 }
                : {}),
              ...(res.status === 410 ? { gone: true } : {}),
            };
          } catch (err) {
            const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
            return {
              ok: false,
              status: null,
              durationMs: performance.now() - started,
              responseExcerpt: null,
              error,
            };
          }
        },
        async close() {},
      };
    },
  };
}
