/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read loosely; the assertions check their shape. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { request, type IncomingMessage } from 'node:http';
import { apiGet, postSigned } from '../helpers/post-signed.js';
import { startTestWharf, TEST_API_TOKEN, TEST_SECRET, type TestWharf } from '../helpers/start-test-wharf.js';
import {
  preferenceDelivery,
  statusDelivery,
  templateStatusDelivery,
  textDelivery,
} from '../helpers/webhook-bodies.js';

const T0 = 1767225600;

describe('processing and the read API', () => {
  let w: TestWharf;
  let hook: string;
  const get = async (path: string) => {
    const r = await apiGet(w.baseUrl, path, TEST_API_TOKEN);
    return { status: r.status, body: JSON.parse(r.body) as Record<string, any> };
  };
  const post = async (body: string) => assert.equal((await postSigned(hook, body, TEST_SECRET)).status, 200);
  /** Polls until `fn` answers something truthy (processing is asynchronous by design). */
  const eventually = async <T>(fn: () => Promise<T | undefined | false>, ms = 5000): Promise<T> => {
    const end = Date.now() + ms;
    for (;;) {
      const v = await fn();
      if (v) return v;
      if (Date.now() > end) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  before(async () => {
    w = await startTestWharf();
    hook = w.baseUrl + '/webhooks/whatsapp';
  });
  after(() => w.stop());

  test('a stored delivery becomes events readable through GET /events, newest first', async () => {
    await post(
      statusDelivery({ wamid: 'wamid.E1', status: 'sent', ts: T0, userId: 'GB.1', pricing: 'utility' }),
    );
    await post(statusDelivery({ wamid: 'wamid.E1', status: 'delivered', ts: T0 + 5, userId: 'GB.1' }));
    const page = await eventually(async () => {
      const r = await get('/api/v1/events?wamid=wamid.E1');
      return r.body['data'].length === 2 && r.body;
    });
    assert.deepEqual(
      page['data'].map((e: any) => e.name),
      ['status.delivered', 'status.sent'],
    );
    const e = page['data'][1];
    assert.equal(e.occurred_at, new Date(T0 * 1000).toISOString());
    assert.equal(e.phone_number_id, '900000000000001');
    assert.deepEqual(e.contact, {
      wa_id: '447700900123',
      user_id: 'GB.1',
      parent_user_id: null,
      username: null,
      name: 'Ana',
    });
    assert.equal(e.data.pricing.category, 'utility');
    for (const k of [
      'id',
      'name',
      'key',
      'occurred_at',
      'waba_id',
      'phone_number_id',
      'contact',
      'wamid',
      'data',
    ])
      assert.ok(k in e, k);
  });

  test('GET /events filters by name prefix (status. or status.*), contact and since, and pages with next_cursor; an unknown name is UNKNOWN_EVENT_PATTERN with the closest name', async () => {
    await eventually(async () => (await get('/api/v1/events?wamid=wamid.E1')).body['data'].length === 2);
    const byPrefix = await get('/api/v1/events?name=status.&limit=1');
    assert.equal(byPrefix.body['data'].length, 1);
    assert.ok(byPrefix.body['next_cursor']);
    const next = await get(`/api/v1/events?name=status.&limit=1&cursor=${byPrefix.body['next_cursor']}`);
    assert.notEqual(next.body['data'][0].id, byPrefix.body['data'][0].id);
    assert.equal((await get('/api/v1/events?contact=GB.1')).body['data'].length, 2);
    assert.equal((await get('/api/v1/events?contact=447700900123')).body['data'].length >= 2, true);
    const since = await get(`/api/v1/events?wamid=wamid.E1&since=${new Date((T0 + 1) * 1000).toISOString()}`);
    assert.deepEqual(
      since.body['data'].map((e: any) => e.name),
      ['status.delivered'],
    );
    const starred = await get('/api/v1/events?name=status.*&limit=1');
    assert.deepEqual(starred.body, byPrefix.body, 'status.* is read as the prefix status.');
    const typo = await get('/api/v1/events?name=status.nope');
    assert.equal(typo.status, 400);
    assert.equal(typo.body['error'].code, 'UNKNOWN_EVENT_PATTERN');
    assert.match(typo.body['error'].message, /"status\.nope"; did you mean "status\.[a-z]+"\?/);
    assert.equal((await get('/api/v1/events?since=yesterday')).status, 400);
  });

  test('GET /messages/{wamid} shows the highest status, each status time, pricing and a failure with its errors', async () => {
    await post(statusDelivery({ wamid: 'wamid.M1', status: 'read', ts: T0 + 20, userId: 'GB.2' }));
    await post(statusDelivery({ wamid: 'wamid.M1', status: 'failed', ts: T0 + 30, errorCode: 131026 }));
    await post(
      statusDelivery({
        wamid: 'wamid.M1',
        status: 'sent',
        ts: T0 + 10,
        userId: 'GB.2',
        pricing: 'marketing',
      }),
    );
    const m = await eventually(async () => {
      const r = await get('/api/v1/messages/wamid.M1');
      return r.status === 200 && r.body['statuses'].length === 3 && r.body;
    });
    assert.equal(m['status'], 'read');
    assert.equal(m['direction'], 'outbound');
    assert.equal(m['failed'], true);
    assert.deepEqual(
      m['statuses'].map((s: any) => s.status),
      ['sent', 'read', 'failed'],
    );
    assert.equal(m['errors'][0].code, 131026);
    assert.equal(m['errors'][0].details, 'details 131026');
    assert.equal(m['pricing'].category, 'marketing');
    assert.equal((await get('/api/v1/messages/wamid.none')).status, 404);
  });

  test('?wait=delivered answers as soon as the message is delivered, and on timeout with the current state', async () => {
    await post(statusDelivery({ wamid: 'wamid.W1', status: 'sent', ts: T0, userId: 'GB.3' }));
    await eventually(async () => (await get('/api/v1/messages/wamid.W1')).status === 200);
    const started = Date.now();
    const waiting = get('/api/v1/messages/wamid.W1?wait=delivered&timeout=10');
    await new Promise((r) => setTimeout(r, 100));
    await post(statusDelivery({ wamid: 'wamid.W1', status: 'read', ts: T0 + 3, userId: 'GB.3' }));
    const r = await waiting;
    assert.ok(Date.now() - started < 5000);
    assert.equal(r.body['status'], 'read');
    assert.deepEqual(r.body['wait'], { status: 'delivered', reached: true });
    const timedOut = await get('/api/v1/messages/wamid.W1?wait=failed&timeout=0.2');
    assert.deepEqual(timedOut.body['wait'], { status: 'failed', reached: false });
    assert.equal((await get('/api/v1/messages/wamid.W1?wait=seen')).status, 400);
  });

  test('?wait=delivered answers as soon as the message fails instead of waiting out the timeout', async () => {
    await post(statusDelivery({ wamid: 'wamid.WF', status: 'sent', ts: T0, userId: 'GB.4' }));
    await eventually(async () => (await get('/api/v1/messages/wamid.WF')).status === 200);
    const started = Date.now();
    const waiting = get('/api/v1/messages/wamid.WF?wait=delivered&timeout=30');
    await new Promise((r) => setTimeout(r, 100));
    await post(statusDelivery({ wamid: 'wamid.WF', status: 'failed', ts: T0 + 3, errorCode: 131026 }));
    const r = await waiting;
    assert.ok(Date.now() - started < 10_000, 'answered on the failure, not at the timeout');
    assert.equal(r.body['failed'], true);
    assert.equal(r.body['errors'][0].code, 131026);
    assert.deepEqual(r.body['wait'], { status: 'delivered', reached: false });
    const already = await get('/api/v1/messages/wamid.WF?wait=read&timeout=30');
    assert.deepEqual(already.body['wait'], { status: 'read', reached: false });
  });

  test('an inbound message is stored with its preview and context, and opens the window for 24 h', async () => {
    const ts = Math.floor(Date.now() / 1000) - 60;
    await post(textDelivery('wamid.IN1', ts, 'Hello there', '447700900555', 'GB.555'));
    const m = await eventually(async () => {
      const r = await get('/api/v1/messages/wamid.IN1');
      return r.status === 200 && r.body;
    });
    assert.equal(m['direction'], 'inbound');
    assert.equal(m['type'], 'text');
    assert.equal(m['preview'], 'Hello there');
    assert.equal(m['context'].id, 'wamid.ORIGINAL');
    assert.equal(m['context'].forwarded, true);
    for (const id of ['447700900555', 'GB.555', '+447700900555']) {
      const c = await get(`/api/v1/contacts/${encodeURIComponent(id)}`);
      assert.equal(c.status, 200, id);
      assert.equal(c.body['name'], 'Ana Ruiz');
      assert.equal(c.body['user_id'], 'GB.555');
      assert.equal(c.body['window_open_until'], new Date((ts + 86400) * 1000).toISOString());
      assert.equal(c.body['window_open'], true);
    }
    assert.equal((await get('/api/v1/contacts/447700000000')).status, 404);
  });

  test('marketing opt-out follows the latest of stop, resume and error 131050', async () => {
    await post(preferenceDelivery('stop', T0 + 100, '447700900777', 'GB.777'));
    await post(preferenceDelivery('resume', T0 + 200, '447700900777', 'GB.777'));
    const c = await eventually(async () => {
      const r = await get('/api/v1/contacts/GB.777');
      return r.status === 200 && r.body['marketing_preference']?.value === 'resume' && r.body;
    });
    assert.equal(c['marketing_opt_out'], false);
    await post(
      statusDelivery({
        wamid: 'wamid.OPT',
        status: 'failed',
        ts: T0 + 300,
        waId: '447700900777',
        errorCode: 131050,
      }),
    );
    const after = await eventually(async () => {
      const r = await get('/api/v1/contacts/GB.777');
      return r.body['marketing_opt_out'] === true && r.body;
    });
    assert.equal(after['marketing_preference'].source, 'error_131050');
  });

  test('a signed delivery that is not JSON is recorded invalid with its reason, and the next one is processed', async () => {
    await post('{"object":"whatsapp_business_account","entry":[');
    await post(statusDelivery({ wamid: 'wamid.AFTER', status: 'sent', ts: T0, userId: 'GB.9' }));
    await eventually(async () => (await get('/api/v1/messages/wamid.AFTER')).status === 200);
    const invalid = await get('/api/v1/deliveries?state=invalid');
    assert.equal(invalid.body['data'].length, 1);
    assert.match(invalid.body['data'][0].error, /NOT_JSON/);
  });

  test('template status keeps the newest event by time, whatever the arrival order', async () => {
    await post(templateStatusDelivery(1234567890123456, 'PAUSED', T0 + 50, 'LOW_QUALITY'));
    await post(templateStatusDelivery(1234567890123456, 'APPROVED', T0 + 10));
    await eventually(
      async () => (await get('/api/v1/events?name=template.status')).body['data'].length === 2,
    );
    const db = new Database(w.dbPath, { readonly: true });
    try {
      const t = db
        .prepare('SELECT status, status_reason FROM templates WHERE template_id = ?')
        .get('1234567890123456');
      assert.deepEqual(t, { status: 'PAUSED', status_reason: 'LOW_QUALITY' });
      assert.equal(db.prepare('SELECT count(*) FROM template_history').pluck().get(), 2);
    } finally {
      db.close();
    }
  });

  test('GET /stream pushes events as they are committed, filtered, and resumes from Last-Event-ID', async () => {
    const frames: string[] = [];
    const req = request(`${w.baseUrl}/api/v1/stream?name=status.&wamid=wamid.S1`, {
      headers: { authorization: `Bearer ${TEST_API_TOKEN}` },
    });
    const opened = new Promise<IncomingMessage>((resolve, reject) => {
      req.on('response', resolve);
      req.on('error', reject);
    });
    req.end();
    const res = await opened;
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/event-stream/);
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => frames.push(chunk));
    await post(textDelivery('wamid.S0', T0, 'not a status'));
    await post(statusDelivery({ wamid: 'wamid.S1', status: 'delivered', ts: T0, userId: 'GB.S' }));
    const text = await eventually(
      async () => frames.join('').includes('event: status.delivered') && frames.join(''),
    );
    req.destroy();
    const data = text.split('\n').find((l) => l.startsWith('data: '));
    const event = JSON.parse(data?.slice(6) ?? '{}');
    assert.equal(event.wamid, 'wamid.S1');
    assert.ok(!text.includes('wamid.S0'), 'filtered out');
    const id = /^id: (\d+)$/m.exec(text)?.[1];
    // Resuming just before that event replays it.
    const again = await new Promise<string>((resolve, reject) => {
      const r2 = request(`${w.baseUrl}/api/v1/stream?wamid=wamid.S1`, {
        headers: { authorization: `Bearer ${TEST_API_TOKEN}`, 'last-event-id': String(Number(id) - 1) },
      });
      r2.on('response', (res2) => {
        res2.setEncoding('utf8');
        res2.on('data', (c: string) => {
          if (c.includes('status.delivered')) {
            r2.destroy();
            resolve(c);
          }
        });
      });
      r2.on('error', reject);
      r2.end();
    });
    assert.match(again, new RegExp(`id: ${id}`));
  });

  test('GET /openapi.json lists the read API', async () => {
    const doc = await get('/api/v1/openapi.json');
    assert.equal(doc.status, 200);
    for (const p of ['/api/v1/events', '/api/v1/messages/{wamid}', '/api/v1/contacts/{id}', '/api/v1/stream'])
      assert.ok(doc.body['paths'][p], p);
  });

  test('metrics count events by name and observe processing lag and batch sizes', async () => {
    const r = await apiGet(w.baseUrl, '/metrics', undefined);
    assert.match(r.body, /wharf_events_total\{name="status.sent"\} \d+/);
    assert.match(r.body, /wharf_processing_lag_seconds_count \d+/);
    assert.match(r.body, /wharf_processing_batch_deliveries_count \d+/);
  });
});
