/** A local HTTP receiver for destination tests: records every request and answers as told. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { once } from 'node:events';

export interface Received {
  /** Path and query as requested. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly json: Record<string, unknown>;
}

export interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export interface Receiver {
  readonly url: string;
  readonly received: Received[];
  /** Decides each answer (default 200 "ok"); a promise answers when it settles (a slow receiver). */
  answer: (r: Received, n: number) => Answer | Promise<Answer>;
  close(): Promise<void>;
}

export async function startReceiver(answer: Receiver['answer'] = () => ({ status: 200, body: 'ok' })) {
  const received: Received[] = [];
  const self = { received, answer } as { received: Received[]; answer: Receiver['answer'] };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(body) as Record<string, unknown>;
      } catch {
        // kept as text
      }
      const r = { url: req.url ?? '', headers: req.headers, body, json };
      received.push(r);
      void Promise.resolve(self.answer(r, received.length)).then((a) =>
        res.writeHead(a.status, a.headers ?? {}).end(a.body ?? ''),
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  return Object.assign(self, {
    url: `http://127.0.0.1:${port}/hook`,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  }) as Receiver;
}
