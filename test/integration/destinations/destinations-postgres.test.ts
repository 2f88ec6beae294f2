/**
 * Destinations on PostgreSQL with two Wharf processes sharing one schema: a destination created
 * through one is seen by the other within a poll interval; rows written by the processing commit
 * carry their contact key (ordering), and the attempt log is shared.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { postgresSuite } from '../../helpers/postgres-test-db.js';
import { startDestinationWharf } from '../../helpers/start-destination-wharf.js';
import { startReceiver } from '../../helpers/destination-receiver.js';
import { textDelivery } from '../../helpers/webhook-bodies.js';
import { waitFor } from '../../helpers/wait-for.js';

await postgresSuite('destinations on PostgreSQL', (db) => {
  test(
    'a destination created through one process is delivered to by another; rows carry their contact',
    { timeout: 60_000 },
    async () => {
      const url = await db.freshSchemaUrl();
      const rx = await startReceiver();
      const a = await startDestinationWharf({ DATABASE_URL: url });
      const b = await startDestinationWharf({ DATABASE_URL: url });
      const pool = new pg.Pool({ connectionString: db.serverUrl, max: 1 });
      try {
        const c = await a.api('POST', '/api/v1/destinations', {
          name: 'shared',
          kind: 'http',
          url: rx.url,
          ordering: 'contact',
        });
        assert.equal(c.status, 201, c.body);
        // b learns of it at its next refresh (pollMs 20 in tests); until then it would write no rows.
        await waitFor(
          'b lists it',
          async () => ((await b.api('GET', '/api/v1/destinations')).json['data'] as unknown[]).length === 1,
        );
        // b re-reads its set every 20 ms; 25 of those intervals is a margin, not a measured time.
        await new Promise((r) => setTimeout(r, 500));
        // Each message is processed before the next is sent: a and b both process, and two of a
        // contact's events committed at the same moment by different workers may be handed on in
        // either order (docs/destinations.md, "Ordering and flow control").
        for (let i = 1; i <= 3; i++) {
          assert.equal((await b.deliver(textDelivery(`wamid.PG${i}`, 1767225600 + i, `m${i}`))).status, 200);
          await waitFor(
            `wamid.PG${i} processed`,
            async () => (await b.api('GET', `/api/v1/messages/wamid.PG${i}`)).status === 200,
          );
        }
        await waitFor('three hand-offs', () => rx.received.length === 3, 20_000);
        assert.deepEqual(
          rx.received.map((r) => r.json['wamid']),
          ['wamid.PG1', 'wamid.PG2', 'wamid.PG3'],
        );
        const schema = new URL(url).searchParams.get('schema');
        const rows = await pool.query(
          `SELECT contact_key, order_at FROM ${schema}.outbox WHERE target LIKE 'destination:%' ORDER BY id`,
        );
        assert.deepEqual(
          rows.rows.map((r) => r.contact_key),
          ['447700900123', '447700900123', '447700900123'],
        );
        await waitFor('attempts logged', async () => {
          const at = await a.api('GET', `/api/v1/destinations/${c.json['id']}/attempts`);
          return (at.json['data'] as unknown[]).length === 3;
        });
      } finally {
        await pool.end();
        await a.stop();
        await b.stop();
        await rx.close();
      }
    },
  );
});
