import type { ApiRoute } from '../api-router.js';
import { sendJson } from '../send.js';
import { EVENT_NAMES } from '../../events/event-names.js';

type Param = { name: string; description: string; schema?: Record<string, unknown> };

const FILTERS: Param[] = [
  {
    name: 'name',
    description: `Exact event name or a prefix ending with "." (e.g. status.)`,
    schema: { type: 'string', examples: EVENT_NAMES.slice(0, 3) },
  },
  { name: 'phone_number_id', description: 'Business phone number id' },
  { name: 'contact', description: 'wa_id (phone) or business-scoped user id' },
  { name: 'wamid', description: 'Message id' },
  { name: 'since', description: 'occurred_at ≥ since: ISO 8601 time or epoch milliseconds' },
];

/** Query parameters of the routes whose parameters are not visible in their path. */
const QUERY: Record<string, Param[]> = {
  '/api/v1/events': [
    ...FILTERS,
    { name: 'limit', description: '1–1000, default 50', schema: { type: 'integer' } },
    { name: 'cursor', description: 'next_cursor of the previous page' },
  ],
  '/api/v1/stream': [
    ...FILTERS,
    { name: 'after', description: 'Start after this event id (or send Last-Event-ID)' },
  ],
  '/api/v1/messages/:wamid': [
    {
      name: 'wait',
      description: 'Answer once the message reaches this status (sent, delivered, read, played, failed)',
    },
    {
      name: 'timeout',
      description: 'Seconds to wait (default 30, max 120); then the current state',
      schema: { type: 'number' },
    },
    { name: 'phone_number_id', description: 'When the same wamid exists under several numbers' },
  ],
};

function operation(r: ApiRoute) {
  const pathParams = [...r.path.matchAll(/:([a-zA-Z_]+)/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const query = (QUERY[r.path] ?? []).map((p) => ({
    name: p.name,
    in: 'query',
    description: p.description,
    schema: p.schema ?? { type: 'string' },
  }));
  return {
    summary: r.summary ?? '',
    parameters: [...pathParams, ...query],
    responses: {
      '200': { description: r.path.endsWith('/stream') ? 'text/event-stream' : 'JSON' },
      '400': { description: 'Invalid parameter' },
      '401': { description: 'Missing or wrong bearer token' },
    },
  };
}

/** The OpenAPI 3.1 document of the routes given (all /api/v1 routes, this one included). */
export function openApiDocument(routes: readonly ApiRoute[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const p = r.path.replace(/:([a-zA-Z_]+)/g, '{$1}');
    (paths[p] ??= {})[r.method.toLowerCase()] = operation(r);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Wharf API', version: '1' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}

/** GET /api/v1/openapi.json; `routes` is read when asked, so routes registered later are listed too. */
export function openApiRoutes(routes: () => readonly ApiRoute[]): ApiRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/openapi.json',
      summary: 'This OpenAPI document',
      handler: ({ res }) => sendJson(res, 200, openApiDocument(routes())),
    },
  ];
}
