/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read loosely; the assertions check their shape. */
/**
 * The read API at its edges: parameters a client gets wrong, paths it encodes wrongly, the stream's
 * resume position, the token's scheme, methods a route does not have, storage that is not there,
 * and the OpenAPI document against what the routes accept.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { apiGet, httpRequest, postSigned, type HttpAnswer } from '../helpers/post-signed.js';
import { textDelivery } from '../helpers/webhook-bodies.js';
import { startTestWharf, TEST_API_TOKEN, TEST_SECRET, type TestWharf } from '../helpers/start-test-wharf.js';
import { postgresSuite } from '../helpers/postgres-test-db.js';

const auth = { authorization: `Bearer ${TEST_API_TOKEN}` };

/** Status, headers and the first text of a GET /api/v1/stream (the connection is cut after `ms`). */
function openStream(
  baseUrl: string,
  path: string,
  headers: Record<string, string>,
  ms = 300,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(baseUrl + path, { headers: { ...auth, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      const done = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      res.on('end', done);
      res.on('close', done);
      setTimeout(() => req.destroy(), ms);
    });
    req.on('error', reject);
    req.end();
  });
}

const errorOf = (r: HttpAnswer) => (JSON.parse(r.body) as { error: { code: string; message: string } }).error;

describe('read API edges', () => {
  let w: TestWharf;
  const get = (path: string) => apiGet(w.baseUrl, path, TEST_API_TOKEN);

  before(async () => {
    w = await startTestWharf();
  });
  after(() => w.stop());

  test('answers 400 naming since when it is a number of milliseconds no date can have', async () => {
    for (const since of ['99999999999999999999999', '9'.repeat(400), '8640000000000001']) {
      const r = await get(`/api/v1/events?since=${since}`);
      assert.equal(r.status, 400, since);
      assert.match(errorOf(r).message, /since/);
    }
    assert.equal((await get('/api/v1/events?since=8640000000000000')).status, 200, 'the last date there is');
  });

  test('answers 400 naming a filter given twice, instead of silently using the first value', async () => {
    for (const q of [
      'name=status.&name=message.',
      'wamid=a&wamid=b',
      'since=1&since=2',
      'contact=1&contact=2',
    ]) {
      for (const route of ['/api/v1/events', '/api/v1/stream']) {
        const r = await get(`${route}?${q}`);
        assert.equal(r.status, 400, `${route}?${q}`);
        assert.match(errorOf(r).message, new RegExp(`${q.split('=')[0]} .*once`));
      }
    }
  });

  test('answers 400 naming the path when a path segment is not valid percent-encoding', async () => {
    for (const p of ['/api/v1/messages/%E0%A4%A', '/api/v1/contacts/%zz', '/api/v1/dead-letters/%/replay']) {
      const r = await httpRequest(w.baseUrl + p, {
        method: p.endsWith('/replay') ? 'POST' : 'GET',
        headers: auth,
      });
      assert.equal(r.status, 400, p);
      assert.equal(errorOf(r).code, 'BAD_REQUEST');
      assert.match(errorOf(r).message, /percent-encod/);
    }
  });

  test('the stream answers 400 naming after or Last-Event-ID when it is not an event id, instead of starting from now', async () => {
    for (const [path, headers, named] of [
      ['/api/v1/stream?after=abc', {}, /after/],
      ['/api/v1/stream?after=-1', {}, /after/],
      ['/api/v1/stream?after=99999999999999999999', {}, /after/],
      ['/api/v1/stream', { 'last-event-id': 'abc' }, /Last-Event-ID/],
      ['/api/v1/stream', { 'last-event-id': '99999999999999999999' }, /Last-Event-ID/],
    ] as const) {
      const r = await openStream(w.baseUrl, path, headers);
      assert.equal(r.status, 400, `${path} ${JSON.stringify(headers)}`);
      assert.match(errorOf(r).message, named);
    }
    const ok = await openStream(w.baseUrl, '/api/v1/stream', { 'last-event-id': '0' });
    assert.equal(ok.status, 200);
    assert.match(ok.body, /stream from event 0/);
  });

  test('accepts the bearer scheme in any letter case, as HTTP authentication schemes are (RFC 9110 §11.1)', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const r = await httpRequest(`${w.baseUrl}/api/v1/events?limit=1`, {
        headers: { authorization: `${scheme} ${TEST_API_TOKEN}` },
      });
      assert.equal(r.status, 200, scheme);
    }
    const wrong = await httpRequest(`${w.baseUrl}/api/v1/events`, {
      headers: { authorization: 'bearer nope' },
    });
    assert.equal(wrong.status, 401);
    const basic = await httpRequest(`${w.baseUrl}/api/v1/events`, {
      headers: { authorization: `Basic ${TEST_API_TOKEN}` },
    });
    assert.equal(basic.status, 401);
  });

  test('a method a route does not have gets 405 with the Allow header listing the ones it has', async () => {
    const r = await httpRequest(`${w.baseUrl}/api/v1/events`, { method: 'DELETE', headers: auth });
    assert.equal(r.status, 405);
    assert.equal(r.headers['allow'], 'GET');
    const replay = await httpRequest(`${w.baseUrl}/api/v1/replay`, { headers: auth });
    assert.equal(replay.status, 405);
    assert.equal(replay.headers['allow'], 'POST');
  });

  test('the OpenAPI document declares every query parameter, request body and answer the routes have', async () => {
    const doc = JSON.parse((await get('/api/v1/openapi.json')).body) as Record<string, any>;
    const params = (path: string, method = 'get') =>
      Object.fromEntries(
        (doc['paths'][path][method]['parameters'] as any[]).map((p) => [`${p.in}:${p.name}`, p.schema]),
      );
    const deliveries = params('/api/v1/deliveries');
    for (const p of ['limit', 'cursor', 'state']) assert.ok(deliveries[`query:${p}`], `deliveries ${p}`);
    assert.deepEqual(deliveries['query:state'].enum, ['pending', 'processing', 'processed', 'invalid']);
    const dead = params('/api/v1/dead-letters');
    for (const p of ['limit', 'cursor', 'target']) assert.ok(dead[`query:${p}`], `dead-letters ${p}`);
    const events = params('/api/v1/events');
    assert.deepEqual([events['query:limit'].minimum, events['query:limit'].maximum], [1, 1000]);
    const message = params('/api/v1/messages/{wamid}');
    assert.deepEqual(message['query:wait'].enum, ['sent', 'delivered', 'read', 'played', 'failed']);
    assert.deepEqual([message['query:timeout'].minimum, message['query:timeout'].maximum], [0, 120]);
    assert.ok(params('/api/v1/stream')['header:Last-Event-ID'], 'stream Last-Event-ID header');

    const replay = doc['paths']['/api/v1/replay']['post'];
    assert.ok(replay['requestBody']?.content?.['application/json'], 'POST /replay body');
    const answers = (path: string, method = 'get') => Object.keys(doc['paths'][path][method]['responses']);
    assert.ok(answers('/api/v1/replay', 'post').includes('202'));
    assert.ok(!answers('/api/v1/replay', 'post').includes('200'), 'replay answers 202, not 200');
    assert.ok(answers('/api/v1/dead-letters/{id}/replay', 'post').includes('409'));
    for (const p of ['/api/v1/messages/{wamid}', '/api/v1/contacts/{id}'])
      assert.ok(answers(p).includes('404'), `${p} 404`);
    for (const [p, ops] of Object.entries(doc['paths'] as Record<string, Record<string, any>>))
      for (const [m, op] of Object.entries(ops)) {
        assert.ok(op.responses['401'], `${m} ${p} 401`);
        assert.ok(op.responses['503'], `${m} ${p} 503`);
      }
  });

  test('the OpenAPI schemas of an event, a message and a contact name exactly the fields the API answers with', async () => {
    const hook = `${w.baseUrl}/webhooks/whatsapp`;
    assert.equal(
      (
        await postSigned(
          hook,
          textDelivery('wamid.DOC', 1767225600, 'hi', '447700900321', 'GB.DOC'),
          TEST_SECRET,
        )
      ).status,
      200,
    );
    const doc = JSON.parse((await get('/api/v1/openapi.json')).body) as Record<string, any>;
    const schema = (name: string) => doc['components']['schemas'][name];
    const deadline = Date.now() + 5000;
    let message = await get('/api/v1/messages/wamid.DOC');
    while (message.status !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      message = await get('/api/v1/messages/wamid.DOC');
    }
    const event = (JSON.parse((await get('/api/v1/events?wamid=wamid.DOC')).body) as any).data[0];
    const contact = JSON.parse((await get('/api/v1/contacts/GB.DOC')).body) as Record<string, unknown>;
    const pairs: Array<[string, Record<string, unknown>]> = [
      ['Event', event],
      ['Message', JSON.parse(message.body) as Record<string, unknown>],
      ['Contact', contact],
    ];
    for (const [name, answer] of pairs) {
      assert.deepEqual(Object.keys(answer).sort(), [...schema(name).required].sort(), name);
      for (const [k, v] of Object.entries(answer))
        if (v !== null && typeof v === 'object' && !Array.isArray(v) && schema(name).properties[k].required)
          assert.deepEqual(
            Object.keys(v).sort(),
            [...schema(name).properties[k].required].sort(),
            `${name}.${k}`,
          );
    }
  });
});

await postgresSuite('read API while PostgreSQL cannot answer', (pg) => {
  test(
    'a read the database cannot serve now answers 503 with Retry-After, not 500',
    { timeout: 30_000 },
    async () => {
      const url = await pg.freshSchemaUrl();
      const w = await startTestWharf({ DATABASE_URL: url }, { busyTimeoutMs: 200 });
      const schema = new URL(url).searchParams.get('schema');
      const locker = await pg.admin.connect();
      try {
        await locker.query('BEGIN');
        await locker.query(`LOCK TABLE ${schema}.events IN ACCESS EXCLUSIVE MODE`);
        const r = await apiGet(w.baseUrl, '/api/v1/events', TEST_API_TOKEN);
        assert.equal(r.status, 503);
        assert.equal(errorOf(r).code, 'STORAGE_UNAVAILABLE');
        assert.ok(Number(r.headers['retry-after']) > 0);
        assert.ok(!r.body.includes(schema ?? '?'), 'no database detail in the answer');
      } finally {
        await locker.query('ROLLBACK');
        locker.release();
        await w.stop();
      }
    },
  );
});
