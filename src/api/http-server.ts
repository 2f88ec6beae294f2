import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Inbox } from '../ports/inbox.js';
import { StorageError } from '../storage-error.js';
import type { Metrics } from '../observability/metrics.js';
import type { Logger } from '../observability/create-logger.js';
import { handleDelivery, handleHandshake } from './webhook-handler.js';
import type { WebhookDeps } from './webhook-deps.js';
import { sendError, sendJson } from './send.js';
import { isWebhookPath } from './is-webhook-path.js';
import { requestTarget } from './request-target.js';

export interface HttpServerDeps {
  readonly webhookPath: string;
  readonly webhook: WebhookDeps;
  readonly inbox: Inbox;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Why deliveries cannot be written right now (the group commit's view), or null. */
  readonly writeProblem?: () => string | null;
  /** A request not whole within this time of its start gets 408 (default 60 s). */
  readonly requestTimeoutMs?: number;
  /** Serves the dashboard's files under /ui/ (src/api/ui-static.ts); `/` redirects there. */
  readonly ui?: (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<void>;
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
  // Checked every second (node's default is 30 s), so a request is cut close to its limit, as on the fast path.
  const requestTimeout = deps.requestTimeoutMs ?? 60_000;
  const options = { keepAliveTimeout: 65_000, requestTimeout, connectionsCheckingInterval: 1000 };
  const server = createServer(options, (req, res) => {
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
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) =>
    checkContinue(deps, server, req, res),
  );
  // node:http refuses a headersTimeout above its requestTimeout.
  server.headersTimeout = Math.min(30_000, requestTimeout);
  return server;
}

async function route(deps: HttpServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { pathname, search } = requestTarget(req.url ?? '/');
  if (isWebhookPath(pathname, deps.webhookPath)) {
    if (req.method === 'POST') return handleDelivery(deps.webhook, req, res);
    // HEAD is GET without the body (RFC 9110 §9.3.2); node:http leaves the body out.
    if (req.method === 'GET' || req.method === 'HEAD') return handleHandshake(deps.webhook, search, res);
    return sendError(res, 'METHOD_NOT_ALLOWED', undefined, { allow: 'GET, HEAD, POST' });
  }
  if (pathname === '/healthz' || pathname === '/readyz' || pathname === '/metrics') {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendError(res, 'METHOD_NOT_ALLOWED', undefined, { allow: 'GET, HEAD' });
    if (pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
    return pathname === '/readyz' ? readiness(deps, res) : metrics(deps, res);
  }
  if (pathname.startsWith('/api/v1/') || pathname === '/api/v1')
    return deps.api(req, res, pathname, new URLSearchParams(search));
  if (deps.ui && (pathname === '/ui' || pathname.startsWith('/ui/'))) return deps.ui(req, res, pathname);
  if (deps.ui && pathname === '/' && (req.method === 'GET' || req.method === 'HEAD')) {
    res.writeHead(302, { location: '/ui/' });
    res.end();
    return;
  }
  return sendError(res, 'NOT_FOUND');
}

/**
 * `Expect: 100-continue`: a webhook POST whose declared body is over the limit gets its 413 now,
 * without the `100 Continue` node:http would send first, which tells the client to start uploading
 * a body the server then cuts off (the client sees a reset, not the 413). Every other request gets
 * its 100 as before.
 */
function checkContinue(
  deps: HttpServerDeps,
  server: Server,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const declared = Number(req.headers['content-length']);
  const refuse =
    req.method === 'POST' &&
    declared > deps.webhook.maxBodyBytes &&
    isWebhookPath(requestTarget(req.url ?? '/').pathname, deps.webhookPath);
  if (!refuse) res.writeContinue();
  server.emit('request', req, res);
}

/**
 * Ready: migrations applied and deliveries can be written (the group commit's last commit did not
 * fail and commits are not late). The answer is unauthenticated, so it names the kind of problem
 * only; the cause (which may hold a host or an address) goes to the log.
 */
async function readiness(deps: HttpServerDeps, res: ServerResponse): Promise<void> {
  try {
    await deps.inbox.ready();
  } catch (err) {
    deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'not ready: storage');
    return sendJson(res, 503, { status: 'not_ready', reason: 'storage is not reachable or not migrated' });
  }
  const problem = deps.writeProblem?.() ?? null;
  if (problem) return sendJson(res, 503, { status: 'not_ready', reason: problem });
  sendJson(res, 200, { status: 'ready' });
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
