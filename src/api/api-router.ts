import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import { sendError } from './send.js';
import { str } from '../core/normalize/read.js';
import type { SchemaName } from './openapi-schemas.js';

export interface ApiContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
}

/** A query parameter or request header a route reads, as its OpenAPI document shows it. */
export interface ApiParam {
  readonly name: string;
  /** Default `query`. */
  readonly in?: 'query' | 'header';
  readonly description: string;
  /** JSON Schema; default `{ type: 'string' }`. */
  readonly schema?: Readonly<Record<string, unknown>>;
}

/** One answer of a route: JSON of a components schema, or another content type. */
export interface ApiAnswer {
  readonly description: string;
  readonly schema?: SchemaName;
  readonly contentType?: string;
}

export interface ApiRoute {
  readonly method: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH';
  /** e.g. `/api/v1/messages/:wamid` */
  readonly path: string;
  readonly handler: (ctx: ApiContext) => Promise<void> | void;
  /** OpenAPI summary. */
  readonly summary?: string;
  /** What the handler reads besides the path, declared beside it so the OpenAPI document cannot omit it. */
  readonly params?: readonly ApiParam[];
  /** Schema of the JSON request body. */
  readonly body?: SchemaName;
  /** Answers by status, besides 401 and 503 which every route can give. */
  readonly responses?: Readonly<Record<string, ApiAnswer>>;
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

/** The scheme name is case-insensitive (RFC 9110 §11.1): `bearer` and `BEARER` are the same scheme. */
function tokenMatches(header: string | undefined, token: string): boolean {
  if (header === undefined || !/^bearer /i.test(header)) return false;
  // Both sides hashed to one length first, so the compare takes the same time whatever was sent.
  const a = createHash('sha256').update(header.slice(7)).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

/**
 * Paging parameters every listing reads with get(): given twice, the first alone would be used
 * without a word (filters are refused the same way in event-filter-params.ts).
 */
const PAGE_NAMES = ['limit', 'cursor'] as const;

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
    const allowed: string[] = [];
    for (const c of compiled) {
      const m = c.regex.exec(pathname);
      if (!m) continue;
      if (c.route.method !== req.method) {
        allowed.push(c.route.method);
        continue;
      }
      const params = decodeParams(c.names, m);
      if (params === null)
        return sendError(res, 'BAD_REQUEST', 'the path is not valid percent-encoded UTF-8');
      const repeated = PAGE_NAMES.find((name) => query.getAll(name).length > 1);
      if (repeated) return sendError(res, 'BAD_REQUEST', `${repeated} may be given once`);
      return c.route.handler({ req, res, params, query: storableQuery(query) });
    }
    // A 405 says which methods the resource has (RFC 9110 §15.5.6).
    if (allowed.length > 0)
      return sendError(res, 'METHOD_NOT_ALLOWED', undefined, { allow: allowed.join(', ') });
    return sendError(res, 'NOT_FOUND', 'no /api/v1 route has this path (see /api/v1/openapi.json)');
  };
}

/**
 * Query values made like every stored id (str(): U+0000 becomes U+FFFD), so a lookup by any of them
 * finds what was stored instead of PostgreSQL refusing the query (500). URLSearchParams already
 * decoded invalid UTF-8 to U+FFFD.
 */
function storableQuery(query: URLSearchParams): URLSearchParams {
  if (![...query.values()].some((v) => v.includes('\u0000'))) return query;
  return new URLSearchParams([...query].map(([k, v]): [string, string] => [k, str(v) ?? '']));
}

/**
 * Path parameters, percent-decoded; null when one is not valid percent-encoded UTF-8 (e.g. `%E0%A4%A`).
 * A U+0000 (`%00`) becomes U+FFFD as in every stored id (str()), so the lookup finds what was stored
 * instead of PostgreSQL refusing the query (500).
 */
function decodeParams(names: readonly string[], m: RegExpExecArray): Record<string, string> | null {
  const params: Record<string, string> = {};
  try {
    names.forEach((n, i) => (params[n] = str(decodeURIComponent(m[i + 1] ?? '')) ?? ''));
  } catch {
    return null;
  }
  return params;
}
