import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { postgresSuite, type PostgresTestDb } from '../helpers/postgres-test-db.js';
import { apiGet, httpRequest, postSigned } from '../helpers/post-signed.js';
import { startTestWharf, TEST_API_TOKEN, TEST_SECRET, type TestWharf } from '../helpers/start-test-wharf.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';

const sha256 = (b: string | Uint8Array) => createHash('sha256').update(b).digest('hex');
const delivery = (n: string) =>
  `{"object":"whatsapp_business_account","entry":[{"id":"800000000000001","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15551230000","phone_number_id":"900000000000001"},"statuses":[{"id":"wamid.HBgL${n}","status":"delivered","timestamp":"1767225600","recipient_id":"447700900123"}]}}]}]}`;

async function rowsFor(pg: PostgresTestDb, url: string, body: string) {
  const schema = new URL(url).searchParams.get('schema');
  const r = await pg.admin.query<{ duplicates: number; body: Buffer; state: string }>(
    `SELECT duplicates, body, state FROM ${schema}.deliveries WHERE body_hash = $1`,
    [sha256(body)],
  );
  return r.rows;
}

await postgresSuite('webhook ingress on PostgreSQL', (pg) => {
  describe('with the database up', { timeout: 30_000 }, () => {
    let w: TestWharf;
    let dbUrl: string;
    let hook: string;
    before(async () => {
      dbUrl = await pg.freshSchemaUrl();
      w = await startTestWharf({ DATABASE_URL: dbUrl });
      hook = w.baseUrl + '/webhooks/whatsapp';
    });
    after(() => w.stop());

    test('answers exactly 200 only once the delivery is committed to PostgreSQL', async () => {
      const body = delivery('pg-stored');
      const r = await postSigned(hook, body, TEST_SECRET);
      assert.equal(r.status, 200);
      const rows = await rowsFor(pg, dbUrl, body);
      assert.equal(rows.length, 1, 'committed before the answer');
      assert.equal(rows[0]?.body.toString('utf8'), body);
      // The processor of this same process may already have claimed or processed it.
      assert.ok(['pending', 'processing', 'processed'].includes(String(rows[0]?.state)));
    });

    test('stores a byte-identical redelivery once and still answers 200', async () => {
      const body = delivery('pg-dup');
      const answers = await Promise.all([1, 2, 3].map(() => postSigned(hook, body, TEST_SECRET)));
      assert.deepEqual(
        answers.map((a) => a.status),
        [200, 200, 200],
      );
      assert.equal((await postSigned(hook, body, TEST_SECRET)).status, 200);
      const rows = await rowsFor(pg, dbUrl, body);
      assert.equal(rows.length, 1);
      assert.equal(rows[0]?.duplicates, 3);
    });

    test('/readyz answers 200 and the deliveries API reads from PostgreSQL', async () => {
      assert.equal((await httpRequest(w.baseUrl + '/readyz')).status, 200);
      const page = JSON.parse((await apiGet(w.baseUrl, '/api/v1/deliveries?limit=1', TEST_API_TOKEN)).body);
      assert.equal(page.data[0].body_hash, sha256(delivery('pg-dup')));
      assert.equal(page.total, 2);
    });

    test('answers 400 naming the cursor when it encodes an id beyond a bigint, as on SQLite', async () => {
      for (const position of ['12345678901234567890', '9999999999999999999']) {
        const forged = Buffer.from(position).toString('base64url');
        const r = await apiGet(w.baseUrl, `/api/v1/deliveries?cursor=${forged}`, TEST_API_TOKEN);
        assert.equal(r.status, 400, position);
        assert.match(JSON.parse(r.body).error.message, /cursor.*next_cursor/);
      }
    });
  });

  describe('storage faults', { timeout: 30_000 }, () => {
    test('answers 503 with Retry-After while the inbox table is locked, then 200 once it is free', async () => {
      const dbUrl = await pg.freshSchemaUrl();
      const w = await startTestWharf({ DATABASE_URL: dbUrl }, { busyTimeoutMs: 100 });
      const locker = await pg.admin.connect();
      try {
        await locker.query('BEGIN');
        await locker.query(
          `LOCK TABLE ${new URL(dbUrl).searchParams.get('schema')}.deliveries IN EXCLUSIVE MODE`,
        );
        const body = delivery('pg-while-locked');
        const r = await postSigned(w.baseUrl + '/webhooks/whatsapp', body, TEST_SECRET);
        assert.equal(r.status, 503);
        assert.equal(r.headers['retry-after'], '5');
        await locker.query('ROLLBACK');
        assert.equal((await postSigned(w.baseUrl + '/webhooks/whatsapp', body, TEST_SECRET)).status, 200);
        assert.equal((await rowsFor(pg, dbUrl, body)).length, 1);
      } finally {
        // A failed assertion must not leave the lock held: the schema drop after the file would wait on it.
        await locker.query('ROLLBACK').catch(() => undefined);
        locker.release();
        await w.stop();
      }
    });

    test(
      'with the default settings, a table lock held by another session gives 503 within seconds, not a request that waits for the lock',
      { timeout: 30_000 },
      async () => {
        const dbUrl = await pg.freshSchemaUrl();
        // No busyTimeoutMs: the lock timeout wharf start runs with.
        const w = await startTestWharf({ DATABASE_URL: dbUrl });
        const locker = await pg.admin.connect();
        try {
          await locker.query('BEGIN');
          await locker.query(
            `LOCK TABLE ${new URL(dbUrl).searchParams.get('schema')}.deliveries IN EXCLUSIVE MODE`,
          );
          const started = Date.now();
          const answer = postSigned(
            w.baseUrl + '/webhooks/whatsapp',
            delivery('pg-default-lock'),
            TEST_SECRET,
          );
          const r = await Promise.race([
            answer,
            new Promise<null>((resolve) => setTimeout(() => resolve(null), 15_000)),
          ]);
          assert.ok(r !== null, 'answered while the lock was still held');
          assert.equal(r.status, 503);
          assert.equal(r.headers['retry-after'], '5');
          assert.ok(Date.now() - started < 10_000);
        } finally {
          await locker.query('ROLLBACK').catch(() => undefined);
          locker.release();
          await w.stop();
        }
      },
    );

    test(
      'a network path that goes silent mid-statement gives 503 on the webhook and the API within the statement timeout, then recovers',
      { timeout: 60_000 },
      async () => {
        const server = new URL(pg.serverUrl);
        const proxy = await startTcpProxy(server.hostname, Number(server.port || 5432));
        const direct = await pg.freshSchemaUrl();
        const viaProxy = new URL(direct);
        viaProxy.port = String(proxy.port);
        // A short statement timeout keeps the test quick; the default is 30 s (docs/operations.md).
        viaProxy.searchParams.set('options', '-c statement_timeout=1000');
        const w = await startTestWharf({ DATABASE_URL: viaProxy.toString() });
        const hook = w.baseUrl + '/webhooks/whatsapp';
        const within = <T>(p: Promise<T>, ms: number) =>
          Promise.race([p, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), ms))]);
        try {
          assert.equal((await postSigned(hook, delivery('pg-before-silence'), TEST_SECRET)).status, 200);
          proxy.freeze();
          const lost = delivery('pg-during-silence');
          const [r, read] = await Promise.all([
            within(postSigned(hook, lost, TEST_SECRET), 10_000),
            within(apiGet(w.baseUrl, '/api/v1/deliveries?limit=1', TEST_API_TOKEN), 10_000),
          ]);
          assert.ok(r !== 'hung', 'the webhook was answered while the network was silent');
          assert.ok(read !== 'hung', 'the API read was answered while the network was silent');
          assert.equal(r.status, 503);
          assert.equal(r.headers['retry-after'], '5');
          assert.equal(read.status, 503);
          proxy.thaw();
          assert.equal((await postSigned(hook, lost, TEST_SECRET)).status, 200);
          assert.equal((await rowsFor(pg, direct, lost)).length, 1);
        } finally {
          proxy.thaw();
          await w.stop();
          await proxy.close();
        }
      },
    );

    test('answers 503 and reports not ready while PostgreSQL is unreachable, then recovers', async () => {
      const server = new URL(pg.serverUrl);
      const proxy = await startTcpProxy(server.hostname, Number(server.port || 5432));
      const direct = await pg.freshSchemaUrl();
      const viaProxy = new URL(direct);
      viaProxy.port = String(proxy.port);
      const w = await startTestWharf({ DATABASE_URL: viaProxy.toString() });
      const hook = w.baseUrl + '/webhooks/whatsapp';
      try {
        assert.equal((await postSigned(hook, delivery('pg-before-cut'), TEST_SECRET)).status, 200);
        await proxy.cut();
        const lost = delivery('pg-during-cut');
        const r = await postSigned(hook, lost, TEST_SECRET);
        assert.equal(r.status, 503);
        assert.equal(r.headers['retry-after'], '5');
        assert.equal((await httpRequest(w.baseUrl + '/readyz')).status, 503);
        await proxy.restore();
        assert.equal((await postSigned(hook, lost, TEST_SECRET)).status, 200);
        assert.equal((await rowsFor(pg, direct, lost)).length, 1);
        assert.equal((await httpRequest(w.baseUrl + '/readyz')).status, 200);
      } finally {
        await w.stop();
        await proxy.close();
      }
    });
  });
});
