/* eslint-disable @typescript-eslint/no-explicit-any -- the OpenAPI document is read loosely; the assertions check its shape. */
/**
 * What the dashboard reads besides the rest of the API — stats, error policy, templates, phone
 * numbers, account, one event, one delivery's raw body — and how Wharf serves the dashboard's files at
 * /ui/: content types, cache headers, gzip, and nothing outside the build folder.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { startTestWharf, TEST_API_TOKEN, TEST_SECRET, type TestWharf } from '../helpers/start-test-wharf.js';
import { httpRequest, postSigned, type HttpAnswer } from '../helpers/post-signed.js';
import { fixtureBytes } from '../helpers/fixtures.js';
import { waitFor } from '../helpers/wait-for.js';
import { buildUi } from '../helpers/browser.js';
import { uiRelativePath } from '../../src/api/ui-static.js';
import { errorPolicy } from '../../src/core/error-policy.js';
import { packageRoot } from '../../src/util/package-root.js';

const auth = { authorization: `Bearer ${TEST_API_TOKEN}` };
/** Wide enough to hold the fixtures' times (2026) in daily buckets. */
const SINCE = 'since=2025-12-01T00:00:00Z&bucket_seconds=86400';

describe('dashboard API and static files', () => {
  let w: TestWharf;
  const get = (path: string, headers: Record<string, string> = auth): Promise<HttpAnswer> =>
    httpRequest(w.baseUrl + path, { headers });
  const json = async <T>(path: string): Promise<T> => {
    const r = await get(path);
    assert.equal(r.status, 200, `${path}: ${r.body}`);
    return JSON.parse(r.body) as T;
  };
  const post = async (fixture: string) => {
    const r = await postSigned(`${w.baseUrl}/webhooks/whatsapp`, fixtureBytes(fixture), TEST_SECRET);
    assert.equal(r.status, 200);
  };

  before(async () => {
    buildUi();
    w = await startTestWharf();
    for (const f of [
      'messages/status-failed.json',
      'message_template_status_update/paused.json',
      'phone_number_quality_update/legacy-downgrade.json',
      'account_update/disabled.json',
    ])
      await post(f);
    await waitFor(
      'the fixtures processed',
      async () => (await json<{ data: unknown[] }>('/api/v1/events?limit=10')).data.length >= 4,
      10_000,
    );
  });
  after(() => w?.stop());

  test('GET /api/v1/stats counts failures by error code with the error policy beside each code', async () => {
    const s = await json<{
      since: string;
      bucket_seconds: number;
      events: { at: string; name: string; count: number }[];
      failures: { code: number; count: number; category: string; action: string; meaning: string }[];
      pricing: unknown[];
    }>(`/api/v1/stats?${SINCE}`);
    assert.equal(s.bucket_seconds, 86400);
    assert.equal(s.since, '2025-12-01T00:00:00.000Z');
    const failure = s.failures.find((f) => f.code === 131026);
    const policy = errorPolicy(131026);
    assert.deepEqual(
      { ...failure, at: undefined },
      {
        at: undefined,
        code: 131026,
        count: 1,
        category: policy.category,
        action: policy.action,
        meaning: policy.meaning,
      },
    );
    assert.ok(s.events.some((e) => e.name === 'status.failed' && e.count === 1));
    assert.ok(s.events.some((e) => e.name === 'template.status'));
  });

  test('GET /api/v1/stats refuses a bad parameter with 400 naming it', async () => {
    for (const [query, field] of [
      ['bucket_seconds=0', 'bucket_seconds'],
      ['bucket_seconds=abc', 'bucket_seconds'],
      ['since=yesterday', 'since'],
      ['since=2000-01-01T00:00:00Z&bucket_seconds=60', 'buckets'],
    ] as const) {
      const r = await get(`/api/v1/stats?${query}`);
      assert.equal(r.status, 400, query);
      assert.match(JSON.parse(r.body).error.message, new RegExp(field), query);
    }
  });

  test('GET /api/v1/error-policy/{code} explains a code; a code that is not a number is refused', async () => {
    const p = await json<Record<string, unknown>>('/api/v1/error-policy/131047');
    assert.equal(p['action'], 'send_template');
    assert.equal(p['category'], 'window');
    assert.equal((await get('/api/v1/error-policy/abc')).status, 400);
    const unknown = await json<Record<string, unknown>>('/api/v1/error-policy/999999');
    assert.equal(unknown['category'], 'unknown');
  });

  test('templates, phone numbers and account show what Meta reported', async () => {
    const t = await json<{ data: { name: string; status: string; history: unknown[] }[] }>(
      '/api/v1/templates',
    );
    assert.equal(t.data[0]?.name, 'spring_sale');
    assert.equal(t.data[0]?.status, 'PAUSED');
    assert.ok((t.data[0]?.history.length ?? 0) >= 1);
    const n = await json<{ data: { display_phone_number: string | null }[] }>('/api/v1/phone-numbers');
    assert.equal(n.data.length, 1);
    const a = await json<{ data: { aspect: string; waba_id: string }[] }>('/api/v1/account');
    assert.ok(a.data.some((x) => x.aspect.startsWith('account.update')));
  });

  test('GET /api/v1/events/{id} reads one event; an unknown id is 404 and a non-id 400', async () => {
    const page = await json<{ data: { id: string; name: string }[] }>('/api/v1/events?limit=1');
    const first = page.data[0]!;
    const one = await json<{ id: string; name: string }>(`/api/v1/events/${first.id}`);
    assert.deepEqual([one.id, one.name], [first.id, first.name]);
    assert.equal((await get('/api/v1/events/987654321')).status, 404);
    assert.equal((await get('/api/v1/events/0')).status, 400);
    assert.equal((await get('/api/v1/events/x1')).status, 400);
  });

  test('GET /api/v1/deliveries/{id}/body answers the stored bytes, an invalid delivery included', async () => {
    const notJson = Buffer.from('{"object":"whatsapp_business_account","entry":[');
    assert.equal((await postSigned(`${w.baseUrl}/webhooks/whatsapp`, notJson, TEST_SECRET)).status, 200);
    let id = '';
    await waitFor(
      'the invalid delivery marked',
      async () => {
        const p = await json<{ data: { id: string; error: string | null }[] }>(
          '/api/v1/deliveries?state=invalid',
        );
        id = p.data[0]?.id ?? '';
        return id !== '' && p.data[0]?.error !== null;
      },
      10_000,
    );
    const r = await get(`/api/v1/deliveries/${id}/body`);
    assert.equal(r.status, 200);
    assert.equal(r.body, notJson.toString());
    assert.equal((await get('/api/v1/deliveries/99999999/body')).status, 404);
    assert.equal((await get('/api/v1/deliveries/abc/body')).status, 400);
  });

  test('the new routes need the token like every /api/v1 route', async () => {
    for (const p of ['/api/v1/stats', '/api/v1/templates', '/api/v1/error-policy/1', '/api/v1/events/1'])
      assert.equal((await get(p, {})).status, 401, p);
  });

  test('the OpenAPI document lists the new routes and their schemas name exactly the answered fields', async () => {
    const doc = JSON.parse((await get('/api/v1/openapi.json')).body) as Record<string, any>;
    for (const p of [
      '/api/v1/stats',
      '/api/v1/error-policy/{code}',
      '/api/v1/templates',
      '/api/v1/phone-numbers',
      '/api/v1/account',
      '/api/v1/events/{id}',
      '/api/v1/deliveries/{id}/body',
    ])
      assert.ok(doc['paths'][p]?.['get'], p);
    const schemas = doc['components']['schemas'];
    const keys = (o: object) => Object.keys(o).sort();
    const stats = await json<Record<string, unknown[]>>(`/api/v1/stats?${SINCE}`);
    assert.deepEqual(keys(stats), [...schemas['Stats'].required].sort());
    assert.deepEqual(
      keys(stats['failures']![0] as object),
      [...schemas['Stats'].properties.failures.items.required].sort(),
    );
    assert.deepEqual(
      keys(await json<object>('/api/v1/error-policy/131026')),
      [...schemas['ErrorPolicy'].required].sort(),
    );
  });

  test('/ redirects to /ui/, which serves the page with a strict CSP and revalidation', async () => {
    const root = await get('/', {});
    assert.equal(root.status, 302);
    assert.equal(root.headers['location'], '/ui/');
    assert.equal((await get('/ui', {})).headers['location'], '/ui/');
    const page = await get('/ui/', {});
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(page.headers['cache-control'], 'no-cache');
    assert.match(String(page.headers['content-security-policy']), /default-src 'self'/);
    assert.match(String(page.headers['content-security-policy']), /connect-src 'self'/);
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    assert.match(page.body, /<div id="app">/);
    // A screen's address is the same single page.
    assert.equal((await get('/ui/anything/here', {})).body, page.body);
  });

  test('hashed assets are immutable, typed, and gzipped when the browser asks', async () => {
    const assets = readdirSync(join(packageRoot(), 'dist', 'ui', 'assets'));
    const js = assets.find((f) => f.endsWith('.js'))!;
    const css = assets.find((f) => f.endsWith('.css'))!;
    const plain = await get(`/ui/assets/${js}`, {});
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal((await get(`/ui/assets/${css}`, {})).headers['content-type'], 'text/css; charset=utf-8');
    const zipped = await new Promise<Buffer>((resolve, reject) => {
      import('node:http').then(({ get: g }) =>
        g(`${w.baseUrl}/ui/assets/${js}`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
          assert.equal(res.headers['content-encoding'], 'gzip');
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(Buffer.concat(chunks)));
        }).on('error', reject),
      );
    });
    assert.equal(gunzipSync(zipped).toString(), plain.body);
  });

  test('nothing outside the build folder is served, however the path is spelled', async () => {
    for (const p of [
      '/ui/../package.json',
      '/ui/%2e%2e/package.json',
      '/ui/..%2fpackage.json',
      '/ui/assets/..%2f..%2f..%2fpackage.json',
      '/ui/..%5c..%5cpackage.json',
      '/ui/%00.js',
      '/ui/missing.js',
    ]) {
      const r = await get(p, {});
      assert.equal(r.status, 404, p);
      assert.doesNotMatch(r.body, /"name": "wharf"/, p);
    }
    assert.equal((await httpRequest(`${w.baseUrl}/ui/`, { method: 'POST' })).status, 405);
  });
});

describe('uiRelativePath', () => {
  test('maps screens to index.html and files to themselves, and refuses paths that could leave the folder', () => {
    assert.equal(uiRelativePath('/ui/'), 'index.html');
    assert.equal(uiRelativePath('/ui/messages/wamid'), 'index.html');
    assert.equal(uiRelativePath('/ui/assets/index-abc.js'), 'assets/index-abc.js');
    for (const bad of [
      '/ui/..',
      '/ui/a/../../x.js',
      '/ui/%2e%2e/x.js',
      '/ui/a%5cb.js',
      '/ui/%00.js',
      '/ui/%E0%A4%A.js',
    ])
      assert.equal(uiRelativePath(bad), null, bad);
  });
});
