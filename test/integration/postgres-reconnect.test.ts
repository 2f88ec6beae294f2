/**
 * Design §6 on PostgreSQL: a database that drops every connection (a restart, a failover,
 * pg_terminate_backend) gives at most a 503 + Retry-After, and the process carries on by itself:
 * it reconnects, acknowledges, processes and answers API reads without a restart, losing nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { postgresSuite } from '../helpers/postgres-test-db.js';
import { apiGet, postSigned } from '../helpers/post-signed.js';
import { startTestWharf, TEST_API_TOKEN, TEST_SECRET } from '../helpers/start-test-wharf.js';
import { waitFor } from '../helpers/wait-for.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';

const delivery = (wamid: string) =>
  `{"object":"whatsapp_business_account","entry":[{"id":"800000000000001","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15551230000","phone_number_id":"900000000000001"},"statuses":[{"id":"${wamid}","status":"delivered","timestamp":"1767225600","recipient_id":"447700900123"}]}}]}]}`;

await postgresSuite('PostgreSQL connections dropped by the server', (pg) => {
  test(
    'after every connection of the process is terminated, it reconnects by itself: webhooks are acknowledged, processed and readable',
    { timeout: 60_000 },
    async () => {
      // Its own application_name (the URL's wins over Wharf's) picks this process's sessions out.
      const app = `wharf_reconnect_${randomBytes(4).toString('hex')}`;
      const url = new URL(await pg.freshSchemaUrl());
      url.searchParams.set('application_name', app);
      const w = await startTestWharf({ DATABASE_URL: url.toString() });
      const hook = w.baseUrl + '/webhooks/whatsapp';
      const processed = async (wamid: string) =>
        (await apiGet(w.baseUrl, `/api/v1/messages/${wamid}`, TEST_API_TOKEN)).status === 200;
      try {
        assert.equal((await postSigned(hook, delivery('wamid.BEFORE'), TEST_SECRET)).status, 200);
        await waitFor('wamid.BEFORE processed', () => processed('wamid.BEFORE'), 10_000);
        const killed = await pg.admin.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
          [app],
        );
        assert.ok((killed.rowCount ?? 0) >= 2, 'the process had sessions to lose');

        // Every answer is a 200 or a 503 with Retry-After (Meta retries); the first 200 means stored.
        let answer = await postSigned(hook, delivery('wamid.AFTER'), TEST_SECRET);
        for (let i = 0; answer.status !== 200 && i < 20; i++) {
          assert.equal(answer.status, 503);
          assert.ok(answer.headers['retry-after']);
          await new Promise((r) => setTimeout(r, 250));
          answer = await postSigned(hook, delivery('wamid.AFTER'), TEST_SECRET);
        }
        assert.equal(answer.status, 200);
        await waitFor('wamid.AFTER processed', () => processed('wamid.AFTER'), 10_000);
        const events = JSON.parse(
          (await apiGet(w.baseUrl, '/api/v1/events?limit=10', TEST_API_TOKEN)).body,
        ) as { data: Array<{ wamid?: string }> };
        assert.deepEqual(events.data.map((e) => e.wamid).sort(), ['wamid.AFTER', 'wamid.BEFORE']);
        const sessions = await pg.admin.query('SELECT 1 FROM pg_stat_activity WHERE application_name = $1', [
          app,
        ]);
        assert.ok((sessions.rowCount ?? 0) >= 1, 'connected again');
      } finally {
        await w.stop();
      }
    },
  );

  test(
    'while the database is unreachable every API read answers 503 with Retry-After, and answers again once it is back',
    { timeout: 60_000 },
    async () => {
      const server = new URL(pg.serverUrl);
      const proxy = await startTcpProxy(server.hostname, Number(server.port || 5432));
      const url = new URL(await pg.freshSchemaUrl());
      url.port = String(proxy.port);
      const w = await startTestWharf({ DATABASE_URL: url.toString() });
      const reads = [
        '/api/v1/events?limit=5',
        '/api/v1/messages/wamid.X',
        '/api/v1/contacts/447700900123',
        '/api/v1/deliveries?limit=5',
        '/api/v1/dead-letters?limit=5',
      ];
      try {
        await proxy.cut();
        for (const path of reads) {
          const r = await apiGet(w.baseUrl, path, TEST_API_TOKEN);
          assert.equal(r.status, 503, `${path}: ${r.body}`);
          assert.equal(r.headers['retry-after'], '5', path);
        }
        await proxy.restore();
        for (const path of reads) {
          const r = await apiGet(w.baseUrl, path, TEST_API_TOKEN);
          assert.ok([200, 404].includes(r.status), `${path}: ${r.status} ${r.body}`);
        }
      } finally {
        await w.stop();
        await proxy.close();
      }
    },
  );
});
