/**
 * Forwards one event to the local receiver of `wharf listen`, signed the Standard Webhooks way
 * (webhook-id, webhook-timestamp, webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">)
 * so the receiver checks it with the same code that will check Wharf's destinations later.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Webhook } from 'standardwebhooks';
import { packageVersion } from '../../util/package-version.js';
import type { LocalAnswer } from './event-line.js';

const SECRET = /^whsec_[A-Za-z0-9+/]+={0,2}$/;

/** A fresh signing secret in the `whsec_<base64>` form of Standard Webhooks. */
export function newSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** `--secret` checked: the `whsec_<base64>` form the Standard Webhooks libraries take. */
export function secretFlag(value: string): string {
  if (!SECRET.test(value) || Buffer.from(value.slice(6), 'base64').length < 16)
    throw new Error(
      '--secret must be whsec_ followed by base64 of at least 16 bytes (e.g. one printed by a previous wharf listen)',
    );
  return value;
}

export interface Forwarder {
  /** POSTs `body` as event `id`; never throws: a failure is an answer with `error`. */
  forward(id: string, body: string): Promise<LocalAnswer>;
}

/** Why a request to the local receiver failed, in words (the usual one: nothing listening there). */
function failure(err: unknown, url: string, timeoutMs: number): string {
  if ((err as Error).name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  const code = (err as { cause?: { code?: unknown } }).cause?.code;
  if (code === 'ECONNREFUSED') return `nothing is listening at ${url}`;
  return typeof code === 'string' ? code : (err as Error).message;
}

export function createForwarder(options: {
  url: string;
  secret: string;
  timeoutMs: number;
  /** Clock for webhook-timestamp (injected so a test can fix it). */
  now?: () => number;
}): Forwarder {
  const signer = new Webhook(options.secret);
  const now = options.now ?? Date.now;
  const userAgent = `Wharf/${packageVersion()} (wharf listen)`;
  return {
    async forward(id, body) {
      const at = new Date(now());
      const started = performance.now();
      try {
        const res = await fetch(options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': userAgent,
            'webhook-id': id,
            'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
            'webhook-signature': signer.sign(id, at, body),
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        // Read the answer to its end: the connection goes back to the keep-alive pool only then.
        await res.arrayBuffer();
        return { status: res.status, ms: performance.now() - started };
      } catch (err) {
        return { error: failure(err, options.url, options.timeoutMs), ms: performance.now() - started };
      }
    },
  };
}
