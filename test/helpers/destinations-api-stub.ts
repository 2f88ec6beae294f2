/**
 * A stand-in for a running Wharf's /api/v1/destinations (docs/destinations.md), implementing the contract's
 * answers minimally so the CLI can be tested before the real routes land: bearer token (401),
 * create (201 with the secret once, 409 on a taken name, 422 naming the field), list, delete, test
 * (a real request to the destination's URL) and replay (its range checked, then 202 with `queued`: here the number of replay requests so far).
 * Switch the CLI tests to a real Wharf once the routes are merged.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { DESTINATION_KINDS } from '../../src/core/destinations/destination.js';

type Json = Record<string, unknown>;

export interface DestinationsApiStub {
  readonly base: string;
  readonly destinations: Map<string, Json>;
  readonly replays: { id: string; body: Json }[];
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body?: unknown) {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, text ? { 'content-type': 'application/json' } : {}).end(text);
}
const refuse = (res: ServerResponse, status: number, code: string, message: string, field?: string) =>
  send(res, status, { error: { code, message, ...(field ? { field } : {}), docs: 'docs/errors.md' } });

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

/** The 422 of an invalid destination: the first field that is wrong, or null. */
function invalid(b: Json): [string, string] | null {
  if (typeof b['name'] !== 'string' || b['name'] === '') return ['name', 'is required'];
  if (!DESTINATION_KINDS.includes(b['kind'] as never))
    return ['kind', `must be one of ${DESTINATION_KINDS.join(', ')}`];
  if (b['kind'] === 'http' && !/^https?:\/\//.test(String(b['url'] ?? '')))
    return ['url', 'must be an http(s) URL'];
  return null;
}

/** The sample event of POST …/test, signed with the destination's secret as a delivery is. */
async function sampleTo(url: string, secret: string): Promise<Json> {
  const started = Date.now();
  const body = JSON.stringify({ id: '0', name: 'message.text', data: { body: 'Wharf test event' } });
  const id = `test_${randomUUID()}`;
  const at = new Date();
  try {
    const res = await fetch(url, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': new Webhook(secret).sign(id, at, body),
      },
    });
    const text = await res.text();
    return {
      ok: res.ok,
      status: res.status,
      duration_ms: Date.now() - started,
      response_excerpt: text.slice(0, 512),
      error: res.ok ? null : `HTTP ${res.status}`,
    };
  } catch (err) {
    return {
      ok: false,
      status: null,
      duration_ms: Date.now() - started,
      response_excerpt: null,
      error: String((err as { cause?: { code?: string } }).cause?.code ?? err),
    };
  }
}

export async function startDestinationsApiStub(token: string): Promise<DestinationsApiStub> {
  const destinations = new Map<string, Json>();
  const secrets = new Map<string, string>();
  const replays: { id: string; body: Json }[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      if (req.headers.authorization !== `Bearer ${token}`)
        return refuse(
          res,
          401,
          'UNAUTHORIZED',
          'Missing or wrong bearer token (set WHARF_API_TOKEN and send Authorization: Bearer <token>)',
        );
      const [path = ''] = (req.url ?? '').split('?');
      const m = /^\/api\/v1\/destinations(?:\/([^/]+)(\/test|\/replay)?)?$/.exec(path);
      if (!m) return refuse(res, 404, 'NOT_FOUND', 'Not found');
      const [, id, action] = m;
      const d = id === undefined ? undefined : destinations.get(decodeURIComponent(id));
      if (id === undefined && req.method === 'GET')
        return send(res, 200, { data: [...destinations.values()], next_cursor: null });
      if (id === undefined && req.method === 'POST') {
        const b = ((await readJson(req)) ?? {}) as Json;
        const bad = invalid(b);
        if (bad) return refuse(res, 422, 'DESTINATION_INVALID', bad[1], bad[0]);
        if ([...destinations.values()].some((x) => x['name'] === b['name']))
          return refuse(
            res,
            409,
            'DESTINATION_NAME_TAKEN',
            `a destination named ${String(b['name'])} exists`,
            'name',
          );
        const created = {
          id: randomUUID(),
          enabled: true,
          filter: {},
          format: 'event',
          timeout_ms: 10000,
          max_in_flight: 10,
          rate_limit_per_second: null,
          ordering: 'none',
          created_at: new Date().toISOString(),
          disabled_reason: null,
          ...b,
        };
        const secret = `whsec_${randomBytes(24).toString('base64')}`;
        destinations.set(created.id, created);
        secrets.set(created.id, secret);
        return send(res, 201, { ...created, secret });
      }
      if (!d) return refuse(res, 404, 'NOT_FOUND', 'Not found');
      if (action === undefined && req.method === 'DELETE') {
        destinations.delete(String(d['id']));
        return send(res, 204);
      }
      if (action === '/test' && req.method === 'POST')
        return send(res, 200, await sampleTo(String(d['url']), secrets.get(String(d['id'])) ?? ''));
      if (action === '/replay' && req.method === 'POST') {
        const b = ((await readJson(req)) ?? {}) as Json;
        for (const k of ['from', 'to'])
          if (typeof b[k] !== 'string' || Number.isNaN(Date.parse(b[k] as string)))
            return refuse(res, 422, 'DESTINATION_INVALID', 'must be an ISO 8601 time', k);
        if (typeof b['failed_only'] !== 'boolean')
          return refuse(res, 422, 'DESTINATION_INVALID', 'must be true or false', 'failed_only');
        replays.push({ id: String(d['id']), body: b });
        return send(res, 202, { queued: replays.length });
      }
      return refuse(res, 405, 'METHOD_NOT_ALLOWED', 'Method not allowed');
    })();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    destinations,
    replays,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
