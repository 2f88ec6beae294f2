import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import { sendError } from './send.js';

export interface ApiContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
}

export interface ApiRoute {
  readonly method: 'GET' | 'POST' | 'DELETE' | 'PUT';
  /** e.g. `/api/v1/messages/:wamid` */
  readonly path: string;
  readonly handler: (ctx: ApiContext) => Promise<void> | void;
  /** OpenAPI summary. */
  readonly summary?: string;
}

interface Compiled {
  readonly route: ApiRoute;
  readonly regex: RegExp;
  readonly names: string[];
}

function compile(route: ApiRoute): Compiled {
  const names: string[] = [];
  const src = route.path.replace(/:([a-zA-Z_]+)/g, (_, n: string) => {
    names.push(n);
    return '([^/]+)';
  });
  return { route, regex: new RegExp(`^${src}$`), names };
}

function tokenMatches(header: string | undefined, token: string): boolean {
  if (!header?.startsWith('Bearer ')) return false;
  const a = createHash('sha256').update(header.slice(7)).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

/** Bearer-token protected JSON routes under /api/v1 (no CORS headers: same-origin only by default). */
export function createApiRouter(apiToken: string | undefined, routes: readonly ApiRoute[]) {
  const compiled = routes.map(compile);
  return async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    pathname: string,
    query: URLSearchParams,
  ) {
    if (!apiToken) return sendError(res, 'API_DISABLED');
    if (!tokenMatches(req.headers.authorization, apiToken))
      return sendError(res, 'UNAUTHORIZED', undefined, { 'www-authenticate': 'Bearer' });
    let pathMatched = false;
    for (const c of compiled) {
      const m = c.regex.exec(pathname);
      if (!m) continue;
      pathMatched = true;
      if (c.route.method !== req.method) continue;
      const params: Record<string, string> = {};
      c.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1] ?? '')));
      return c.route.handler({ req, res, params, query });
    }
    return sendError(res, pathMatched ? 'METHOD_NOT_ALLOWED' : 'NOT_FOUND');
  };
}
