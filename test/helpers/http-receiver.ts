/** A local HTTP receiver for destination tests: records each request and answers as told. */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Which TCP connection carried it (1, 2, … in order of connection). */
  readonly connection: number;
}

export interface HttpReceiver {
  readonly url: string;
  readonly port: number;
  readonly requests: ReceivedRequest[];
  /** How to answer the next requests (default: 200 "ok"). */
  answer(fn: (req: ReceivedRequest, res: ServerResponse) => void): void;
  /** TCP connections currently open. */
  openConnections(): number;
  close(): Promise<void>;
}

export async function startHttpReceiver(): Promise<HttpReceiver> {
  const requests: ReceivedRequest[] = [];
  let respond: (req: ReceivedRequest, res: ServerResponse) => void = (_req, res) => res.end('ok');
  let connections = 0;
  let open = 0;
  const ids = new WeakMap<object, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: ReceivedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        connection: ids.get(req.socket) ?? 0,
      };
      requests.push(r);
      respond(r, res);
    });
  });
  server.on('connection', (socket) => {
    ids.set(socket, ++connections);
    open++;
    socket.on('close', () => open--);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    answer(fn) {
      respond = fn;
    },
    openConnections: () => open,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
