/**
 * One route of the local Graph API mock. Routes are plain data (method, path pattern, handler) so
 * more of Meta's API can be added beside the existing ones without touching the server: see
 * `GRAPH_ROUTES` in graph-routes.ts.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { GraphErrorSpec } from './graph-error.js';
import type { GraphMockState } from './graph-mock-state.js';

export interface GraphMockRequest {
  readonly method: string;
  /** The path after the API version, e.g. `/1234567890/messages` (the version is `version`). */
  readonly path: string;
  /** `v24.0`, or null for a path without a version (e.g. a download URL). */
  readonly version: string | null;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The body parsed as JSON, or undefined when empty or not JSON. */
  readonly json: unknown;
  readonly raw: Buffer;
}

export type GraphMockAnswer =
  | { readonly status: number; readonly json: unknown; readonly headers?: Record<string, string> }
  | { readonly status: number; readonly bytes: Buffer; readonly headers?: Record<string, string> }
  | { readonly error: GraphErrorSpec }
  /** Never answers (the caller's timeout fires); the socket is closed when the mock closes. */
  | { readonly hang: true };

export interface GraphRoute {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Matched against `path` (after the version); capture groups are handed to `handle`. */
  readonly pattern: RegExp;
  /** Whether the request needs the version prefix (`/v24.0/…`, default true). */
  readonly versioned?: boolean;
  /** Whether the bearer token is checked before `handle` (default true; 401 code 190 otherwise). */
  readonly auth?: boolean;
  handle(
    req: GraphMockRequest,
    match: RegExpMatchArray,
    state: GraphMockState,
  ): GraphMockAnswer | Promise<GraphMockAnswer>;
}
