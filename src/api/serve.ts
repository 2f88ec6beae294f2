import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { WebhookDeps } from './webhook-deps.js';
import { createFastIngress } from './fast-ingress.js';
import { ingestDelivery, tooLargeAnswer } from './ingest-delivery.js';
import { overloadedAnswer, rateLimitedAnswer, sourceRefusedAnswer } from './refusal-answers.js';
import { SourcePolicy } from './source-policy.js';
import { SignatureFailureLimiter } from './signature-failure-limiter.js';
import { ByteBudget } from './byte-budget.js';
import { markClosing } from './http-server.js';
import { observeAck } from './observe-ack.js';

/** Connections the kernel queues for accept() (capped by net.core.somaxconn). */
const LISTEN_BACKLOG = 4096;

export interface Serving {
  readonly address: AddressInfo;
  /**
   * Graceful stop: no new connections; `drain` (the group commit) finishes what was received;
   * every answer from now on closes its connection; connections idle past a short grace are
   * closed; after `timeoutMs` the rest are cut.
   */
  close(drain: () => Promise<void>, timeoutMs: number): Promise<void>;
}

export interface ServeOptions {
  readonly port: number;
  readonly host: string;
  readonly webhookPath: string;
  /** WHARF_MAX_BUFFERED_BYTES (default 256 MiB). */
  readonly maxBufferedBytes?: number;
  /** WHARF_REQUEST_TIMEOUT_MS for the fast path (node:http has its own, set on its server). */
  readonly requestTimeoutMs?: number;
  /** WHARF_ALLOWED_SOURCE_CIDRS and WHARF_TRUSTED_PROXIES (default: none). */
  readonly sources?: { readonly allowedCidrs: readonly string[]; readonly trustedProxies: readonly string[] };
  /** WHARF_BAD_SIGNATURE_BURST and WHARF_BAD_SIGNATURE_PER_SECOND (default 20 and 1). */
  readonly badSignatures?: { readonly burst: number; readonly perSecond: number };
  /** WHARF_SHUTDOWN_GRACE_MS: after shutdown began, a connection idle this long is closed (default 1 s). */
  readonly shutdownGraceMs?: number;
}

/**
 * Listens on one port: webhook POSTs take the fast path (fast-ingress.ts), everything else —
 * handshake, API, health, metrics, unusual requests — is served by the node:http server.
 */
export async function serve(http: Server, webhook: WebhookDeps, opts: ServeOptions): Promise<Serving> {
  const graceMs = opts.shutdownGraceMs ?? 1000;
  const policy = new SourcePolicy(opts.sources ?? { allowedCidrs: [], trustedProxies: [] }, () =>
    sourceRefusedAnswer(webhook),
  );
  const limiter = new SignatureFailureLimiter(
    opts.badSignatures?.burst ?? 20,
    opts.badSignatures?.perSecond ?? 1,
  );
  // Before the body is read: the source is allowed, and not out of tokens for failed signatures.
  const admit = (remote: string, forwardedFor: string | undefined) => {
    const source = policy.active ? policy.admit(remote, forwardedFor) : remote;
    if (typeof source !== 'string') return source;
    const wait = limiter.retryAfterSeconds(source);
    return wait > 0 ? rateLimitedAnswer(webhook, wait) : source;
  };
  const fast = createFastIngress({
    webhookPath: opts.webhookPath,
    maxBodyBytes: webhook.maxBodyBytes,
    budget: webhook.bodyBudget ?? new ByteBudget(opts.maxBufferedBytes ?? 256 * 1024 * 1024),
    shutdownGraceMs: graceMs,
    ...(opts.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: opts.requestTimeoutMs }),
    ingest: (body, signature) => ingestDelivery(webhook, body, signature),
    onAnswer: (status, firstByteAt) => observeAck(webhook.metrics, status, firstByteAt),
    tooLarge: () => tooLargeAnswer(webhook),
    overloaded: () =>
      overloadedAnswer(webhook, 'request bytes held in memory are at WHARF_MAX_BUFFERED_BYTES'),
    admit,
    onSignatureFailed: (source) => limiter.failed(source),
    fallback: (socket) => {
      handedOff.add(socket);
      socket.once('close', () => handedOff.delete(socket));
      http.emit('connection', socket);
    },
  });
  // node:http only tracks idle connections for servers that listen themselves, so the connections
  // handed over are tracked here too (closed on shutdown even if node:http lost track of them).
  const handedOff = new Set<Socket>();
  const net = fast.server;
  await new Promise<void>((resolve, reject) => {
    net.once('error', reject);
    // A backlog of 4,096 (the kernel caps it at net.core.somaxconn) instead of Node's 511: when
    // thousands of connections open at once (a sender's pool after a restart, overload), the
    // connections waiting for accept() queue in the kernel instead of overflowing into SYN-cookie
    // retries that take seconds (docs/benchmarks.md, Overload).
    net.listen({ port: opts.port, host: opts.host, backlog: LISTEN_BACKLOG }, () => {
      net.removeListener('error', reject);
      resolve();
    });
  });
  // node:http enforces headersTimeout and requestTimeout (the slow-loris guards) only on the
  // connections it tracks, and starts tracking when it emits 'listening' — which `http`, fed
  // connections by the fast path instead of listening itself, never did: a head or a chunked body
  // trickled in a byte at a time held its connection for ever. close() below stops the tracking.
  http.emit('listening');
  return {
    address: net.address() as AddressInfo,
    async close(drain, timeoutMs) {
      const closed = new Promise<void>((r) => net.once('close', () => r()));
      fast.shutdown();
      markClosing(http);
      await drain();
      // node:http knows which of its connections are between requests; those still idle after the
      // grace are closed (each answer meanwhile said Connection: close, so busy ones close after it).
      const sweep = setInterval(() => http.closeIdleConnections(), graceMs);
      const timer = setTimeout(() => {
        for (const sock of handedOff) sock.destroy();
        fast.destroyAll();
      }, timeoutMs);
      await closed;
      clearInterval(sweep);
      clearTimeout(timer);
      // Not listening, so this only stops node:http's connection checks (and closes idle ones).
      http.close();
    },
  };
}
