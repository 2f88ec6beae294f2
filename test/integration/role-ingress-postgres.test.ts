import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { postgresSuite } from '../helpers/postgres-test-db.js';
import { spawnWharf } from '../helpers/spawn-wharf.js';
import { postSigned } from '../helpers/post-signed.js';

const SECRET = 'role-test-secret';
const body = `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"2"},"statuses":[{"id":"wamid.role","status":"sent","timestamp":"1767225600","recipient_id":"3"}]}}]}]}`;

await postgresSuite('wharf start --role ingress on PostgreSQL', (pg) => {
  test(
    'stores and acknowledges deliveries but leaves them for the workers',
    { timeout: 40_000 },
    async () => {
      const url = await pg.freshSchemaUrl();
      const schema = new URL(url).searchParams.get('schema');
      const w = await spawnWharf({ DATABASE_URL: url, WHATSAPP_APP_SECRET: SECRET }, [
        'start',
        '--role',
        'ingress',
      ]);
      try {
        const r = await postSigned(`http://127.0.0.1:${w.port}/webhooks/whatsapp`, body, SECRET);
        assert.equal(r.status, 200);
        const apps = await pg.admin.query<{ application_name: string }>(
          `SELECT DISTINCT application_name FROM pg_stat_activity WHERE application_name LIKE 'wharf-%'
           AND application_name <> 'wharf-test-admin'`,
        );
        assert.ok(
          apps.rows.some((a) => a.application_name === 'wharf-ingress'),
          'its connections are named after the role',
        );
        // Long enough for a processor, had one started, to claim a batch (it wakes on NOTIFY).
        await new Promise((r) => setTimeout(r, 1000));
        const rows = await pg.admin.query<{ state: string; attempts: number; lease_owner: string | null }>(
          `SELECT state, attempts, lease_owner FROM ${schema}.deliveries WHERE body_hash = $1`,
          [createHash('sha256').update(body).digest('hex')],
        );
        assert.deepEqual(rows.rows, [{ state: 'pending', attempts: 0, lease_owner: null }]);
      } finally {
        w.child.kill('SIGTERM');
        const exit = await w.exited;
        assert.equal(exit.code, 0, w.output());
      }
    },
  );
});
