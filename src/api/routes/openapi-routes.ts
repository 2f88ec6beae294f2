import type { ApiAnswer, ApiRoute } from '../api-router.js';
import { sendJson } from '../send.js';
import { SCHEMAS } from '../openapi-schemas.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Every route can answer these, whatever it does. */
const COMMON: Record<string, ApiAnswer> = {
  '401': { description: 'Missing or wrong bearer token, or WHARF_API_TOKEN not set', schema: 'Error' },
  '503': { description: 'Storage unavailable for now; retry after Retry-After seconds', schema: 'Error' },
};

function answer(a: ApiAnswer) {
  if (a.contentType)
    return { description: a.description, content: { [a.contentType]: { schema: { type: 'string' } } } };
  if (a.schema)
    return { description: a.description, content: { 'application/json': { schema: ref(a.schema) } } };
  return { description: a.description };
}

function operation(r: ApiRoute) {
  const pathParams = [...r.path.matchAll(/:([a-zA-Z_]+)/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const params = (r.params ?? []).map((p) => ({
    name: p.name,
    in: p.in ?? 'query',
    description: p.description,
    schema: p.schema ?? { type: 'string' },
  }));
  const declared = r.responses ?? {};
  const success = Object.keys(declared).some((s) => s.startsWith('2'))
    ? {}
    : { '200': { description: 'JSON' } };
  const responses = { ...success, ...declared, ...COMMON };
  return {
    summary: r.summary ?? '',
    parameters: [...pathParams, ...params],
    ...(r.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: ref(r.body) } } } }
      : {}),
    responses: Object.fromEntries(Object.entries(responses).map(([status, a]) => [status, answer(a)])),
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
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } }, schemas: SCHEMAS },
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
