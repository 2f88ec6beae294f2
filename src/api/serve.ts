import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { WebhookDeps } from './webhook-deps.js';
import { createFastIngress } from './fast-ingress.js';
import { ingestDelivery, tooLargeAnswer } from './ingest-delivery.js';
import { markClosing } from './http-server.js';

export interface Serving {
  readonly address: AddressInfo;
  /**
   * Graceful stop: no new connections; `drain` (the group commit) finishes what was received;
   * connections close as they become idle; after `timeoutMs` the rest are cut.
   */
  close(drain: () => Promise<void>, timeoutMs: number): Promise<void>;
}

/**
 * Listens on one port: webhook POSTs take the fast path (fast-ingress.ts), everything else —
 * handshake, API, health, metrics, unusual requests — is served by the node:http server.
 */
export async function serve(
  http: Server,
  webhook: WebhookDeps,
  opts: { port: number; host: string; webhookPath: string },
): Promise<Serving> {
  const fast = createFastIngress({
    webhookPath: opts.webhookPath,
    maxBodyBytes: webhook.maxBodyBytes,
    ingest: (body, signature, startedAt) => ingestDelivery(webhook, body, signature, startedAt),
    tooLarge: () => tooLargeAnswer(webhook),
    fallback: (socket) => {
      handedOff.add(socket);
      socket.once('close', () => handedOff.delete(socket));
      http.emit('connection', socket);
    },
  });
  // node:http only tracks idle connections for servers that listen themselves, so the connections
  // handed over are tracked here: busy while a response is being written.
  const handedOff = new Set<Socket>();
  const busy = new Set<Socket>();
  http.on('request', (req, res) => {
    const sock = req.socket;
    busy.add(sock);
    res.once('close', () => busy.delete(sock));
  });
  const closeIdle = () => {
    for (const sock of handedOff) if (!busy.has(sock)) sock.destroy();
  };
  const net = fast.server;
  await new Promise<void>((resolve, reject) => {
    net.once('error', reject);
    net.listen(opts.port, opts.host, () => {
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
      closeIdle();
      await drain();
      // Connections finishing their last request become idle now; close them as they do.
      const sweep = setInterval(closeIdle, 20);
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
