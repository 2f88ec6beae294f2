/**
 * The destinations management API (design §7.2): fields, 422 naming the field, 409 on a used name,
 * the secret shown only on create and rotate, test sends, PATCH and DELETE, OpenAPI, metrics, and
 * WHARF_DESTINATIONS_FILE applied at start.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDestinationWharf, type DestinationWharf } from '../../helpers/start-destination-wharf.js';
import { startReceiver, type Receiver } from '../../helpers/destination-receiver.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { textDelivery } from '../../helpers/webhook-bodies.js';
import { waitFor } from '../../helpers/wait-for.js';
import { WharfError } from '../../../src/errors.js';

describe('destinations API', { timeout: 60_000 }, () => {
  let w: DestinationWharf;
  let rx: Receiver;
  before(async () => {
    rx = await startReceiver((r) =>
      r.json['name'] === 'message.text' ? { status: 202, body: 'thanks' } : { status: 200 },
    );
    w = await startDestinationWharf();
  });
  after(async () => {
    await w.stop();
    await rx.close();
  });

  test('create answers 201 with every field, defaults filled in, and the whsec_ secret; list and read never show it', async () => {
    const c = await w.api('POST', '/api/v1/destinations', {
      name: 'crm',
      kind: 'http',
      url: rx.url,
      headers: { authorization: 'Bearer crm-token' },
      filter: { events: ['message.', 'status.failed'], error_actions: ['fallback'] },
    });
    assert.equal(c.status, 201, c.body);
    const { secret, id, created_at, updated_at, ...rest } = c.json;
    assert.match(String(secret), /^whsec_[A-Za-z0-9+/]{32}$/);
    assert.match(String(id), /^dst_[0-9a-f]{16}$/);
    assert.ok(created_at && updated_at);
    assert.deepEqual(rest, {
      name: 'crm',
      kind: 'http',
      url: rx.url,
      headers: { authorization: 'Bearer crm-token' },
      enabled: true,
      filter: { events: ['message.', 'status.failed'], error_actions: ['fallback'] },
      format: 'event',
      timeout_ms: 10000,
      max_in_flight: 10,
      rate_limit_per_second: null,
      ordering: 'none',
      batch_window_ms: 0,
      transform: null,
      disabled_reason: null,
    });
    const list = await w.api('GET', '/api/v1/destinations');
    assert.ok(!list.body.includes(String(secret)));
    assert.deepEqual(
      (list.json['data'] as Array<{ id: string }>).map((d) => d.id),
      [id],
    );
    const one = await w.api('GET', `/api/v1/destinations/${id}`);
    assert.equal(one.json['name'], 'crm');
    assert.ok(!one.body.includes(String(secret)));
  });

  test('invalid input answers 422 naming the field, and stores nothing', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ name: 'x', kind: 'fax', url: rx.url }, /kind must be one of/],
      [{ name: 'x', kind: 'http', url: 'ftp://example.com' }, /url must be a https:\/\/ or http:\/\/ URL/],
      [
        { name: 'x', kind: 'http', url: rx.url, filter: { events: ['message.txt'] } },
        /filter\.events\[0\] unknown event name "message\.txt"; did you mean "message\.text"/,
      ],
      [
        { name: 'x', kind: 'http', url: rx.url, filter: { events: ['nope.'] } },
        /filter\.events\[0\] no event name starts with "nope\."/,
      ],
      [
        { name: 'x', kind: 'http', url: rx.url, filter: { error_actions: ['panic'] } },
        /filter\.error_actions "panic"/,
      ],
      [
        { name: 'x', kind: 'http', url: rx.url, max_in_flight: -1 },
        /max_in_flight must be a whole number from 1/,
      ],
      [{ name: 'x', kind: 'http', url: rx.url, timeout_ms: 0 }, /timeout_ms must be a whole number from 1/],
      [
        { name: 'x', kind: 'http', url: rx.url, rate_limit_per_second: -5 },
        /rate_limit_per_second must be null or a number above 0/,
      ],
      [
        { name: 'x', kind: 'http', url: rx.url, format: 'csv' },
        /format must be one of event, meta, conversation/,
      ],
      [
        { name: 'x', kind: 'http', url: rx.url, format: 'conversation', batch_window_ms: -1 },
        /batch_window_ms must be a whole number from 0 to 600000/,
      ],
      [
        { name: 'x', kind: 'http', url: rx.url, format: 'conversation', batch_window_ms: 1.5 },
        /batch_window_ms must be a whole number from 0 to 600000/,
      ],
      [
        { name: 'x', kind: 'http', url: rx.url, format: 'conversation', batch_window_ms: 600_001 },
        /batch_window_ms must be a whole number from 0 to 600000/,
      ],
      [
        { name: 'x', kind: 'http', url: rx.url, format: 'conversation', ordering: 'none' },
        /ordering must be contact for format conversation/,
      ],
      [
        { name: 'x', kind: 'http', url: rx.url, format: 'event', batch_window_ms: 3000 },
        /batch_window_ms applies only to format conversation/,
      ],
      [{ name: 'x', kind: 'http', url: rx.url, ordering: 'fifo' }, /ordering must be none or contact/],
      [{ kind: 'http', url: rx.url }, /name is required/],
      [{ name: 'x', kind: 'http', url: rx.url, secret: 'mine' }, /secret is set by Wharf/],
    ];
    for (const [body, message] of cases) {
      const a = await w.api('POST', '/api/v1/destinations', body);
      assert.equal(a.status, 422, `${JSON.stringify(body)} → ${a.body}`);
      const err = a.json['error'] as { code: string; message: string };
      // Kind settings are the kind's to judge (DESTINATION_SETTINGS_INVALID); the rest are Wharf's own fields.
      assert.equal(
        err.code,
        body['url'] === 'ftp://example.com' ? 'DESTINATION_SETTINGS_INVALID' : 'DESTINATION_INVALID',
      );
      assert.match(err.message, message);
    }
    const names = ((await w.api('GET', '/api/v1/destinations')).json['data'] as Array<{ name: string }>).map(
      (d) => d.name,
    );
    assert.ok(!names.includes('x'));
  });

  test('a used name answers 409, on create and on rename', async () => {
    const a = await w.api('POST', '/api/v1/destinations', { name: 'crm', kind: 'http', url: rx.url });
    assert.equal(a.status, 409);
    assert.equal((a.json['error'] as { code: string }).code, 'DESTINATION_NAME_TAKEN');
    const b = await w.api('POST', '/api/v1/destinations', { name: 'second', kind: 'http', url: rx.url });
    const r = await w.api('PATCH', `/api/v1/destinations/${b.json['id']}`, { name: 'crm' });
    assert.equal(r.status, 409);
  });

  test('PATCH changes only what is given (settings merged) and checks it; DELETE removes it; unknown ids answer 404', async () => {
    const b = await w.api('POST', '/api/v1/destinations', { name: 'patchable', kind: 'http', url: rx.url });
    const id = String(b.json['id']);
    const p = await w.api('PATCH', `/api/v1/destinations/${id}`, {
      max_in_flight: 2,
      headers: { 'x-a': '1' },
    });
    assert.equal(p.status, 200, p.body);
    assert.equal(p.json['max_in_flight'], 2);
    assert.equal(p.json['url'], rx.url);
    assert.deepEqual(p.json['headers'], { 'x-a': '1' });
    assert.equal((await w.api('PATCH', `/api/v1/destinations/${id}`, { max_in_flight: 0 })).status, 422);
    assert.equal((await w.api('PATCH', '/api/v1/destinations/dst_nope', { enabled: false })).status, 404);
    assert.equal((await w.api('DELETE', `/api/v1/destinations/${id}`)).status, 204);
    assert.equal((await w.api('GET', `/api/v1/destinations/${id}`)).status, 404);
    assert.equal((await w.api('DELETE', `/api/v1/destinations/${id}`)).status, 404);
  });

  test('test sends one sample event now through the transport and answers what the receiver said', async () => {
    const c = await w.api('POST', '/api/v1/destinations', { name: 'testable', kind: 'http', url: rx.url });
    const before = rx.received.length;
    const t = await w.api('POST', `/api/v1/destinations/${c.json['id']}/test`);
    assert.equal(t.status, 200, t.body);
    const { duration_ms, ...rest } = t.json;
    assert.equal(typeof duration_ms, 'number');
    assert.deepEqual(rest, { ok: true, status: 202, response_excerpt: 'thanks', error: null });
    assert.equal(rx.received.length, before + 1);
    assert.equal(rx.received.at(-1)?.json['name'], 'message.text');
    assert.equal((await w.api('POST', '/api/v1/destinations/dst_nope/test')).status, 404);
  });

  test('replay and attempts check their input; unknown ids answer 404', async () => {
    const c = await w.api('POST', '/api/v1/destinations', { name: 'replayable', kind: 'http', url: rx.url });
    const id = String(c.json['id']);
    const bad = await w.api('POST', `/api/v1/destinations/${id}/replay`, {
      from: 'yesterday',
      to: '2026-01-02T00:00:00Z',
    });
    assert.equal(bad.status, 422);
    assert.match((bad.json['error'] as { message: string }).message, /from must be an ISO 8601 time/);
    const back = await w.api('POST', `/api/v1/destinations/${id}/replay`, {
      from: '2026-01-02T00:00:00Z',
      to: '2026-01-01T00:00:00Z',
    });
    assert.equal(back.status, 422);
    assert.equal((await w.api('GET', `/api/v1/destinations/${id}/attempts?limit=0`)).status, 400);
    assert.equal((await w.api('GET', `/api/v1/destinations/${id}/attempts?cursor=zz`)).status, 400);
    assert.equal((await w.api('GET', '/api/v1/destinations/dst_nope/attempts')).status, 404);
    assert.equal(
      (await w.api('POST', `/api/v1/destinations/${id}/rotate-secret`, { grace_hours: -1 })).status,
      422,
    );
  });

  test('the OpenAPI document lists every destination route', async () => {
    const doc = await w.api('GET', '/api/v1/openapi.json');
    const paths = doc.json['paths'] as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(paths['/api/v1/destinations'] ?? {}).sort(), ['get', 'post']);
    assert.deepEqual(Object.keys(paths['/api/v1/destinations/{id}'] ?? {}).sort(), [
      'delete',
      'get',
      'patch',
    ]);
    for (const action of ['test', 'rotate-secret', 'replay'])
      assert.ok(paths[`/api/v1/destinations/{id}/${action}`]?.['post']);
    assert.ok(paths['/api/v1/destinations/{id}/attempts']?.['get']);
  });

  test('metrics per destination: attempts by outcome, latency, in flight and backlog', async () => {
    const c = await w.api('POST', '/api/v1/destinations', {
      name: 'measured',
      kind: 'http',
      url: rx.url,
      filter: { events: ['message.text'] },
    });
    await w.deliver(textDelivery('wamid.METRIC', 1767225600, 'count me'));
    const id = String(c.json['id']);
    let text = '';
    await waitFor('a delivered attempt counted', async () => {
      text = (await fetch(`${w.baseUrl}/metrics`).then((r) => r.text())) as string;
      return text.includes(`wharf_destination_attempts_total{destination="${id}",outcome="delivered"} 1`);
    });
    assert.match(text, new RegExp(`wharf_destination_attempt_seconds_count\\{destination="${id}"\\} 1`));
    assert.match(text, /# TYPE wharf_destination_in_flight gauge/);
    assert.match(text, /# TYPE wharf_destination_backlog gauge/);
  });
});

describe('WHARF_DESTINATIONS_FILE', { timeout: 30_000 }, () => {
  test('applied at start by name: created when new, changed when present; a bad file stops start-up naming line and field', async () => {
    const dir = tempDir();
    const file = join(dir.path, 'destinations.json');
    writeFileSync(
      file,
      JSON.stringify([{ name: 'n8n', kind: 'http', url: 'http://127.0.0.1:9/hook' }], null, 2),
    );
    const w = await startDestinationWharf({ WHARF_DESTINATIONS_FILE: file });
    const list = await w.api('GET', '/api/v1/destinations');
    const [d] = list.json['data'] as Array<Record<string, unknown>>;
    assert.equal(d?.['name'], 'n8n');
    await w.stop();
    writeFileSync(
      file,
      '{\n  "destinations": [\n    { "name": "n8n", "kind": "http", "url": "http://127.0.0.1:9/hook" },\n    {\n      "name": "bad",\n      "kind": "http",\n      "filter": { "events": ["mesage.text"] }\n    }\n  ]\n}\n',
    );
    await assert.rejects(startDestinationWharf({ WHARF_DESTINATIONS_FILE: file }), (err: unknown) => {
      assert.ok(err instanceof WharfError);
      assert.equal(err.code, 'CONFIG_INVALID');
      assert.match(
        err.message,
        /destinations\.json line 5: destination 2: filter\.events\[0\] unknown event name "mesage\.text"/,
      );
      return true;
    });
    writeFileSync(file, '[\n  { "name": "x", "kind": "http",\n    "url": }\n]');
    await assert.rejects(startDestinationWharf({ WHARF_DESTINATIONS_FILE: file }), /line 3: not valid JSON/);
    dir.cleanup();
  });
});
