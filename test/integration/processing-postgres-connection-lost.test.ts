/**
 * Design §6 on PostgreSQL, mid-batch: the connection of a processing commit is lost while the
 * commit is in flight (the network path to the database goes away). The process must not crash —
 * pg reports the loss on the checked-out client as well as to the statement — and the processor
 * retries once the database is reachable again: the delivery is processed, exactly once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { postgresSuite } from '../helpers/postgres-test-db.js';
import { apiGet, postSigned } from '../helpers/post-signed.js';
import { startTestWharf, TEST_API_TOKEN, TEST_SECRET } from '../helpers/start-test-wharf.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import { waitFor } from '../helpers/wait-for.js';

const delivery = (wamid: string) =>
  `{"object":"whatsapp_business_account","entry":[{"id":"800000000000001","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15551230000","phone_number_id":"900000000000001"},"statuses":[{"id":"${wamid}","status":"delivered","timestamp":"1767225600","recipient_id":"447700900123"}]}}]}]}`;

await postgresSuite('a processing commit whose PostgreSQL connection is lost', (pg) => {
  test(
    'the process survives, and once the database is reachable again the batch is retried and processed once',
    { timeout: 60_000 },
    async () => {
      const server = new URL(pg.serverUrl);
      const proxy = await startTcpProxy(server.hostname, Number(server.port || 5432));
      const app = `wharf_commit_cut_${randomBytes(4).toString('hex')}`;
      const direct = await pg.freshSchemaUrl();
      const schema = new URL(direct).searchParams.get('schema');
      const url = new URL(direct);
      url.port = String(proxy.port);
      url.searchParams.set('application_name', app);
      // A 1 s lease: the batch the lost commit held is claimed again soon after the database returns.
      const w = await startTestWharf({ DATABASE_URL: url.toString(), WHARF_LEASE_SECONDS: 1 });
      const hook = w.baseUrl + '/webhooks/whatsapp';
      const processed = async (wamid: string) =>
        (await apiGet(w.baseUrl, `/api/v1/messages/${wamid}`, TEST_API_TOKEN)).status === 200;
      const blocker = await pg.admin.connect();
      try {
        assert.equal((await postSigned(hook, delivery('wamid.CUT-BEFORE'), TEST_SECRET)).status, 200);
        await waitFor('wamid.CUT-BEFORE processed', () => processed('wamid.CUT-BEFORE'), 10_000);

        // Hold the events table so the next processing commit stops at its INSERT, inside its
        // transaction, on a connection checked out of the pool — then take the network away.
        await blocker.query('BEGIN');
        await blocker.query(`LOCK TABLE ${schema}.events IN EXCLUSIVE MODE`);
        assert.equal((await postSigned(hook, delivery('wamid.CUT-DURING'), TEST_SECRET)).status, 200);
        await waitFor(
          'the processing commit waiting on the events table',
          async () =>
            (
              await pg.admin.query(
                `SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'
                   AND query ILIKE '%INSERT INTO events%'`,
                [app],
              )
            ).rowCount === 1,
          10_000,
        );
        await proxy.cut();
        await blocker.query('ROLLBACK');
        // The processor's retries meet a refused connection for a while.
        await new Promise((r) => setTimeout(r, 1500));
        assert.equal(await processedRows(), 1, 'nothing committed while the database was unreachable');
        await proxy.restore();

        await waitFor(
          'wamid.CUT-DURING processed after the cut',
          () => processed('wamid.CUT-DURING'),
          20_000,
        );
        const events = JSON.parse(
          (await apiGet(w.baseUrl, '/api/v1/events?limit=10', TEST_API_TOKEN)).body,
        ) as { data: Array<{ wamid?: string }> };
        assert.deepEqual(events.data.map((e) => e.wamid).sort(), ['wamid.CUT-BEFORE', 'wamid.CUT-DURING']);
        assert.equal(await processedRows(), 2);
      } finally {
        blocker.release(true);
        await w.stop();
        await proxy.close();
      }

      async function processedRows(): Promise<number> {
        const r = await pg.admin.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM ${schema}.deliveries WHERE state = 'processed'`,
        );
        return r.rows[0]?.n ?? -1;
      }
    },
  );
});
