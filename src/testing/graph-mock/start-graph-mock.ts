/**
 * A local HTTP server that answers like Meta's Graph API (Cloud API), for tests and benchmarks that
 * must never touch the internet. Point WHATSAPP_GRAPH_URL at `mock.url`.
 *
 *   const mock = await startGraphMock({ now: () => clock });
 *   mock.state.userMessaged('447700900123');       // the customer wrote: the 24 h window opens
 *   mock.state.failNext({ status: 500, json: {} }); // Meta's next answer is a 500
 *   ...
 *   await mock.close();
 *
 * Every request needs `Authorization: Bearer <accessToken>` (401 with code 190 otherwise, as Meta).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { fbtraceId, graphErrorBody, MOCK_ERRORS } from './graph-error.js';
import { GraphMockState, type GraphMockOptions } from './graph-mock-state.js';
import { GRAPH_ROUTES } from './graph-routes.js';
import type { GraphMockAnswer, GraphMockRequest, GraphRoute } from './graph-route.js';

export interface StartGraphMockOptions extends GraphMockOptions {
  /** API version in the URL (default `v24.0`). */
  readonly version?: string;
  /** Routes to answer before the built-in ones (GRAPH_ROUTES). */
  readonly routes?: readonly GraphRoute[];
  readonly port?: number;
}

export interface GraphMock {
  /** Base URL with the version, e.g. `http://127.0.0.1:40123/v24.0` (WHATSAPP_GRAPH_URL). */
  readonly url: string;
  /** Base URL without a version, e.g. `http://127.0.0.1:40123` (download URLs live here). */
  readonly origin: string;
  readonly state: GraphMockState;
  close(): Promise<void>;
}

const VERSIONED = /^\/(v\d+\.\d+)(\/.*)$/;

export async function startGraphMock(options: StartGraphMockOptions = {}): Promise<GraphMock> {
  const state = new GraphMockState(options);
  const routes = [...(options.routes ?? []), ...GRAPH_ROUTES];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    void serve(req, res, state, routes).catch((err: unknown) => {
      if (!res.headersSent) write(res, { status: 500, json: { error: { message: String(err) } } });
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('graph mock: no port');
  const origin = `http://127.0.0.1:${address.port}`;
  return {
    url: `${origin}/${options.version ?? 'v24.0'}`,
    origin,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  state: GraphMockState,
  routes: readonly GraphRoute[],
): Promise<void> {
  const raw = await readBody(req);
  if (state.latencyMs > 0) await new Promise((r) => setTimeout(r, state.latencyMs));
  const url = new URL(req.url ?? '/', 'http://mock');
  const method = req.method ?? 'GET';
  state.calls.push({ method, path: url.pathname, at: state.now() });
  const versioned = VERSIONED.exec(url.pathname);
  const request: GraphMockRequest = {
    method,
    path: versioned ? (versioned[2] as string) : url.pathname,
    version: versioned ? (versioned[1] as string) : null,
    query: url.searchParams,
    headers: req.headers,
    json: parseJson(raw),
    raw,
  };
  for (const route of routes) {
    if (route.method !== method || (route.versioned ?? true) !== (request.version !== null)) continue;
    const match = route.pattern.exec(request.path);
    if (match === null) continue;
    if ((route.auth ?? true) && req.headers.authorization !== `Bearer ${state.accessToken}`)
      return write(res, { error: MOCK_ERRORS.invalidToken });
    const injected = state.takeInjected();
    return write(res, injected ?? (await route.handle(request, match, state)));
  }
  if (req.headers.authorization !== `Bearer ${state.accessToken}`)
    return write(res, { error: MOCK_ERRORS.invalidToken });
  write(res, { error: MOCK_ERRORS.unknownPath });
}

function write(res: ServerResponse, answer: GraphMockAnswer): void {
  if ('hang' in answer) return;
  if ('error' in answer) {
    const error = graphErrorBody(answer.error);
    const body = JSON.stringify(error);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-fb-trace-id': error.error.fbtrace_id,
    };
    if (answer.error.code === 190) headers['www-authenticate'] = 'OAuth "Facebook Platform" "invalid_token"';
    res.writeHead(answer.error.httpStatus, headers);
    res.end(body);
    return;
  }
  if ('bytes' in answer) {
    res.writeHead(answer.status, {
      'content-length': answer.bytes.length,
      'x-fb-trace-id': fbtraceId(),
      ...answer.headers,
    });
    res.end(answer.bytes);
    return;
  }
  const body = JSON.stringify(answer.json);
  res.writeHead(answer.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-fb-trace-id': fbtraceId(),
    ...answer.headers,
  });
  res.end(body);
}
