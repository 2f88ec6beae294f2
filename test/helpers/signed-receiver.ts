import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedWebhook {
  readonly id: string;
  readonly body: string;
  readonly headers: Record<string, string>;
  /** Whether the Standard Webhooks library accepted the signature with the receiver's secret. */
  readonly verified: boolean;
}

export interface SignedReceiver {
  readonly url: string;
  readonly received: ReceivedWebhook[];
  /** Verifies with this secret from now on (e.g. the one a destination was just created with). */
  useSecret(secret: string): void;
  close(): Promise<void>;
}

/**
 * A local HTTP receiver that checks each request the way a user's service would, with the
 * `standardwebhooks` package: 200 when the signature holds, 401 when it does not.
 */
export async function startSignedReceiver(secret: string): Promise<SignedReceiver> {
  let webhook = new Webhook(secret);
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
      );
      let verified = true;
      try {
        webhook.verify(body, headers);
      } catch {
        verified = false;
      }
      received.push({ id: headers['webhook-id'] ?? '', body, headers, verified });
      res.writeHead(verified ? 200 : 401).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    useSecret: (s) => {
      webhook = new Webhook(s);
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
