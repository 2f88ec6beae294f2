import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import Database from 'better-sqlite3';
import { apiGet, httpRequest, postSigned } from '../helpers/post-signed.js';
import {
  startTestWharf,
  TEST_API_TOKEN,
  TEST_SECRET,
  TEST_VERIFY_TOKEN,
  type TestWharf,
} from '../helpers/start-test-wharf.js';

const sha256 = (b: string | Uint8Array) => createHash('sha256').update(b).digest('hex');
const delivery = (n: number | string) =>
  `{"object":"whatsapp_business_account","entry":[{"id":"800000000000001","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15551230000","phone_number_id":"900000000000001"},"statuses":[{"id":"wamid.HBgL${n}","status":"delivered","timestamp":"1767225600","recipient_id":"447700900123"}]}}]}]}`;

function storedRows(
  dbPath: string,
): Array<{ body_hash: string; duplicates: number; secret_index: number; body: Buffer }> {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db
      .prepare('SELECT body_hash, duplicates, secret_index, body FROM deliveries ORDER BY id')
      .all() as never;
  } finally {
    db.close();
  }
}

describe('webhook ingress', () => {
  let w: TestWharf;
  let url: string;
  before(async () => {
    w = await startTestWharf({
      WHATSAPP_APP_SECRET: `old-secret,${TEST_SECRET}`,
      WHARF_MAX_BODY_BYTES: 64 * 1024,
    });
    url = w.baseUrl + '/webhooks/whatsapp';
  });
  after(() => w.stop());

  describe('GET handshake', () => {
    test('answers 200 with the challenge as text/plain', async () => {
      const r = await httpRequest(
        `${url}?hub.mode=subscribe&hub.verify_token=${TEST_VERIFY_TOKEN}&hub.challenge=1158201444`,
      );
      assert.equal(r.status, 200);
      assert.equal(r.body, '1158201444');
      assert.match(String(r.headers['content-type']), /^text\/plain/);
    });
    test('answers 403 for a wrong token, a wrong mode and missing parameters', async () => {
      for (const qs of [
        `hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`,
        `hub.mode=unsubscribe&hub.verify_token=${TEST_VERIFY_TOKEN}&hub.challenge=1`,
        `hub.mode=subscribe&hub.challenge=1`,
        ``,
      ]) {
        const r = await httpRequest(`${url}?${qs}`);
        assert.equal(r.status, 403, qs);
        assert.ok(!r.body.includes(TEST_VERIFY_TOKEN));
      }
    });
    test('is never behind the signature check (no signature header needed)', async () => {
      const r = await httpRequest(
        `${url}?hub.mode=subscribe&hub.verify_token=${TEST_VERIFY_TOKEN}&hub.challenge=x`,
      );
      assert.equal(r.status, 200);
    });
  });

  describe('POST deliveries', () => {
    test('answers exactly 200 only once the delivery is on disk', async () => {
      const body = delivery('stored-1');
      const r = await postSigned(url, body, TEST_SECRET);
      assert.equal(r.status, 200);
      const row = storedRows(w.dbPath).find((x) => x.body_hash === sha256(body));
      assert.ok(row, 'stored before the answer');
      assert.equal(row.body.toString('utf8'), body);
    });

    test('records which configured secret matched', async () => {
      const body = delivery('second-secret');
      assert.equal((await postSigned(url, body, TEST_SECRET)).status, 200);
      assert.equal(storedRows(w.dbPath).find((x) => x.body_hash === sha256(body))?.secret_index, 1);
      const body2 = delivery('first-secret');
      assert.equal((await postSigned(url, body2, 'old-secret')).status, 200);
      assert.equal(storedRows(w.dbPath).find((x) => x.body_hash === sha256(body2))?.secret_index, 0);
    });

    test('stores bodies with emoji, accents and \\/ escapes byte for byte', async () => {
      const body =
        '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messages":[{"id":"wamid.u","type":"text","timestamp":"1","from":"1","text":{"body":"Caf\\u00e9 \\ud83d\\ude00 https:\\/\\/x.test\\/\\u00fc"}}]}}]}]}';
      assert.equal((await postSigned(url, body, TEST_SECRET)).status, 200);
      const row = storedRows(w.dbPath).find((x) => x.body_hash === sha256(body));
      assert.equal(row?.body.toString('latin1'), body);
    });

    test('stores a byte-identical redelivery once and still answers 200', async () => {
      const body = delivery('dup');
      const answers = await Promise.all([1, 2, 3].map(() => postSigned(url, body, TEST_SECRET)));
      assert.deepEqual(
        answers.map((a) => a.status),
        [200, 200, 200],
      );
      assert.equal((await postSigned(url, body, TEST_SECRET)).status, 200);
      const rows = storedRows(w.dbPath).filter((x) => x.body_hash === sha256(body));
      assert.equal(rows.length, 1);
      assert.equal(rows[0]?.duplicates, 3);
    });

    test('answers 401 for missing, malformed and wrong signatures, revealing nothing, storing nothing', async () => {
      const body = delivery('unsigned');
      const cases: Array<Record<string, string>> = [
        {},
        { 'x-hub-signature-256': 'sha1=abc' },
        { 'x-hub-signature-256': 'sha256=' + 'a'.repeat(63) },
        { 'x-hub-signature-256': 'sha256=' + 'a'.repeat(64) },
      ];
      for (const headers of cases) {
        const r = await httpRequest(url, { method: 'POST', body, headers });
        assert.equal(r.status, 401);
        assert.ok(!r.body.includes(TEST_SECRET) && !r.body.includes('old-secret'));
        assert.ok(!/[0-9a-f]{64}/.test(r.body), 'no digest in the answer');
      }
      assert.equal(storedRows(w.dbPath).filter((x) => x.body_hash === sha256(body)).length, 0);
    });

    test('answers 413 to a body over the limit without reading it all', async () => {
      const big = Buffer.alloc(200 * 1024, 0x20);
      const r = await postSigned(url, big, TEST_SECRET);
      assert.equal(r.status, 413);
    });

    test('answers 413 to a chunked body that grows over the limit', async () => {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(
          url,
          { method: 'POST', headers: { 'x-hub-signature-256': 'sha256=' + '0'.repeat(64) } },
          (res) => {
            resolve(res.statusCode ?? 0);
            res.resume();
          },
        );
        req.on('error', reject);
        const chunk = Buffer.alloc(16 * 1024, 0x20);
        for (let i = 0; i < 6; i++) req.write(chunk);
        req.end();
      }).catch(() => 413);
      assert.equal(status, 413);
    });

    test('other methods get 405', async () => {
      assert.equal((await httpRequest(url, { method: 'PUT' })).status, 405);
    });

    test('logs the request id and body hash, never the secrets', async () => {
      const body = delivery('logged');
      await postSigned(url, body, TEST_SECRET);
      const line = w.logs.find((l) => l.includes(sha256(body)));
      assert.ok(line, 'a log line carries the body hash');
      assert.ok(JSON.parse(line).requestId);
      assert.ok(
        w.logs.every(
          (l) => !l.includes(TEST_SECRET) && !l.includes('old-secret') && !l.includes(TEST_API_TOKEN),
        ),
      );
    });
  });

  describe('operations endpoints', () => {
    test('/healthz and /readyz answer 200', async () => {
      assert.equal((await httpRequest(w.baseUrl + '/healthz')).status, 200);
      assert.equal((await httpRequest(w.baseUrl + '/readyz')).status, 200);
    });
    test('/metrics exposes requests by outcome, ack latency, commit batch size and inbox depth', async () => {
      const r = await httpRequest(w.baseUrl + '/metrics');
      assert.equal(r.status, 200);
      for (const m of [
        'wharf_webhook_requests_total{outcome="stored"}',
        'wharf_webhook_requests_total{outcome="duplicate"}',
        'wharf_webhook_requests_total{outcome="bad_signature"}',
        'wharf_ack_latency_seconds_bucket',
        'wharf_group_commit_batch_size_bucket',
        'wharf_inbox_depth',
      ])
        assert.ok(r.body.includes(m), m);
      assert.ok(!r.body.includes(TEST_SECRET));
    });
  });

  describe('GET /api/v1/deliveries', () => {
    test('requires the bearer token', async () => {
      assert.equal((await apiGet(w.baseUrl, '/api/v1/deliveries', undefined)).status, 401);
      assert.equal((await apiGet(w.baseUrl, '/api/v1/deliveries', 'wrong')).status, 401);
    });
    test('lists stored deliveries newest first with a cursor and a total', async () => {
      for (let i = 0; i < 3; i++) await postSigned(url, delivery(`page-${i}`), TEST_SECRET);
      const first = JSON.parse((await apiGet(w.baseUrl, '/api/v1/deliveries?limit=2', TEST_API_TOKEN)).body);
      assert.equal(first.data.length, 2);
      assert.ok(first.total >= 3);
      assert.equal(first.data[0].body_hash, sha256(delivery('page-2')));
      assert.equal(first.data[1].body_hash, sha256(delivery('page-1')));
      for (const k of ['id', 'received_at', 'body_hash', 'size', 'secret_index', 'state'])
        assert.ok(k in first.data[0], k);
      assert.ok(['pending', 'processing', 'processed'].includes(first.data[0].state));
      const second = JSON.parse(
        (await apiGet(w.baseUrl, `/api/v1/deliveries?limit=2&cursor=${first.next_cursor}`, TEST_API_TOKEN))
          .body,
      );
      assert.equal(second.data[0].body_hash, sha256(delivery('page-0')));
    });
    test('rejects a bad limit and a forged cursor with 400', async () => {
      assert.equal((await apiGet(w.baseUrl, '/api/v1/deliveries?limit=0', TEST_API_TOKEN)).status, 400);
      assert.equal((await apiGet(w.baseUrl, '/api/v1/deliveries?cursor=%%%', TEST_API_TOKEN)).status, 400);
    });
    test('answers 400 naming the cursor when it encodes a 20-digit id, as on PostgreSQL', async () => {
      const forged = Buffer.from('12345678901234567890').toString('base64url');
      const r = await apiGet(w.baseUrl, `/api/v1/deliveries?cursor=${forged}`, TEST_API_TOKEN);
      assert.equal(r.status, 400);
      assert.match(JSON.parse(r.body).error.message, /cursor.*next_cursor/);
    });
  });
});

describe('storage faults', () => {
  test('answers 503 with Retry-After while the database is locked, then 200 once it is free', async () => {
    const w = await startTestWharf({}, { busyTimeoutMs: 50 });
    const url = w.baseUrl + '/webhooks/whatsapp';
    const locker = new Database(w.dbPath);
    try {
      locker.exec('BEGIN IMMEDIATE');
      const body = delivery('while-locked');
      const r = await postSigned(url, body, TEST_SECRET);
      assert.equal(r.status, 503);
      assert.equal(r.headers['retry-after'], '5');
      locker.exec('ROLLBACK');
      const again = await postSigned(url, body, TEST_SECRET);
      assert.equal(again.status, 200);
      assert.equal(storedRows(w.dbPath).filter((x) => x.body_hash === sha256(body)).length, 1);
    } finally {
      locker.close();
      await w.stop();
    }
  });
});
