import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { StorageError, type Inbox } from '../ports/inbox.js';
import type { Metrics } from '../observability/metrics.js';
import type { Logger } from '../observability/create-logger.js';
import { handleDelivery, handleHandshake, type WebhookDeps } from './webhook-handler.js';
import { sendError, sendJson } from './send.js';

export interface HttpServerDeps {
  readonly webhookPath: string;
  readonly webhook: WebhookDeps;
  readonly inbox: Inbox;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Handles /api/v1/* (already authenticated inside). */
  readonly api: (
    req: IncomingMessage,
    res: ServerResponse,
    pathname: string,
    query: URLSearchParams,
  ) => Promise<void>;
}

const closing = new WeakSet<Server>();

/** From now on every answer of `server` closes its connection. */
export function markClosing(server: Server): void {
  closing.add(server);
}

/** node:http server: the webhook hot path is matched first and touches no URL parser. */
export function createHttpServer(deps: HttpServerDeps): Server {
  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 60_000 }, (req, res) => {
    // After shutdown began, answer and hang up, so keep-alive clients reconnect elsewhere and shutdown is quick.
    if (closing.has(server)) res.shouldKeepAlive = false;
    route(deps, req, res).catch((err: unknown) => {
      deps.logger.error(
        { err: err instanceof Error ? err.message : String(err), url: req.url },
        'request failed',
      );
      if (res.headersSent) res.destroy();
      // The database is locked, restarting or unreachable: the same answer may succeed soon, so say so
      // (503 + Retry-After) rather than 500; the cause stays in the log, never in the answer.
      else if (err instanceof StorageError)
        sendError(res, 'STORAGE_UNAVAILABLE', undefined, {
          'retry-after': String(deps.webhook.retryAfterSeconds),
        });
      else sendError(res, 'INTERNAL');
    });
  });
  server.headersTimeout = 30_000;
  return server;
}

async function route(deps: HttpServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const pathname = q < 0 ? url : url.slice(0, q);
  if (pathname === deps.webhookPath) {
    if (req.method === 'POST') return handleDelivery(deps.webhook, req, res);
    if (req.method === 'GET') return handleHandshake(deps.webhook, req, res);
    return sendError(res, 'METHOD_NOT_ALLOWED', undefined, { allow: 'GET, POST' });
  }
  if (pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
  if (pathname === '/readyz') return readiness(deps, res);
  if (pathname === '/metrics') return metrics(deps, res);
  if (pathname.startsWith('/api/v1/') || pathname === '/api/v1')
    return deps.api(req, res, pathname, new URLSearchParams(q < 0 ? '' : url.slice(q + 1)));
  return sendError(res, 'NOT_FOUND');
}

async function readiness(deps: HttpServerDeps, res: ServerResponse): Promise<void> {
  try {
    await deps.inbox.ready();
    sendJson(res, 200, { status: 'ready' });
  } catch (err) {
    sendJson(res, 503, { status: 'not_ready', reason: err instanceof Error ? err.message : String(err) });
  }
}

async function metrics(deps: HttpServerDeps, res: ServerResponse): Promise<void> {
  try {
    deps.metrics.inboxDepth.set(await deps.inbox.depth());
  } catch {
    // storage down: the other metrics are still worth serving
  }
  const text = await deps.metrics.registry.metrics();
  res.writeHead(200, { 'content-type': deps.metrics.registry.contentType });
  res.end(text);
}
