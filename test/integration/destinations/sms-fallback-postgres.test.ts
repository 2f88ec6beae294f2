/**
 * At most one SMS per wamid with two Wharf worker processes on one PostgreSQL database: two `sms`
 * destinations give every failure two hand-offs, each process takes whichever it claims, every
 * failure is delivered to both processes, and Twilio answers slowly so the sends overlap. Every
 * wamid still gets exactly one SMS.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { postgresSuite } from '../../helpers/postgres-test-db.js';
import { spawnWharf, type SpawnedWharf } from '../../helpers/spawn-wharf.js';
import { startTwilioMock, TWILIO_SID, TWILIO_TOKEN } from '../../helpers/twilio-mock.js';
import { httpRequest, postSigned } from '../../helpers/post-signed.js';
import { statusDelivery } from '../../helpers/webhook-bodies.js';
import { waitFor } from '../../helpers/wait-for.js';

const SECRET = 'sms-pg-secret';
const TOKEN = 'sms-pg-token';
const FAILURES = 20;
const SCRIPT = 'test/helpers/destination-wharf-process.ts';

await postgresSuite('SMS fallback on PostgreSQL', (db) => {
  test(
    'two worker processes, two sms destinations, each failure delivered to both: one SMS per wamid',
    { timeout: 120_000 },
    async () => {
      const url = await db.freshSchemaUrl();
      const twilio = await startTwilioMock();
      twilio.delayMs = 50;
      const env = {
        DATABASE_URL: url,
        WHATSAPP_APP_SECRET: SECRET,
        WHARF_API_TOKEN: TOKEN,
        WHARF_DESTINATIONS_ALLOW_PRIVATE: 'true',
      };
      const procs: SpawnedWharf[] = [];
      try {
        procs.push(await spawnWharf(env, [], SCRIPT));
        procs.push(await spawnWharf(env, [], SCRIPT));
        const [a, b] = procs.map((p) => `http://127.0.0.1:${p.port}`) as [string, string];
        const api = (base: string, method: string, path: string, body?: unknown) =>
          httpRequest(`${base}${path}`, {
            method,
            headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          });
        for (const name of ['sms-one', 'sms-two']) {
          const c = await api(a, 'POST', '/api/v1/destinations', {
            name,
            kind: 'sms',
            provider: 'twilio',
            account_sid: TWILIO_SID,
            auth_token: TWILIO_TOKEN,
            from: '+15550001111',
            base_url: twilio.url,
            text: 'SMS for {{wamid}}',
          });
          assert.equal(c.status, 201, c.body);
        }
        await waitFor(
          'b sees both destinations',
          async () =>
            (JSON.parse((await api(b, 'GET', '/api/v1/destinations')).body).data as unknown[]).length === 2,
          10_000,
        );
        // b re-reads its destinations every 50 ms: a margin for the rows b writes to name both.
        await new Promise((r) => setTimeout(r, 500));
        for (let i = 0; i < FAILURES; i++) {
          const body = statusDelivery({
            wamid: `wamid.PGSMS${i}`,
            status: 'failed',
            ts: 1767225600 + i,
            errorCode: 131026,
          });
          const [first, second] = i % 2 ? [a, b] : [b, a];
          assert.equal((await postSigned(`${first}/webhooks/whatsapp`, body, SECRET)).status, 200);
          assert.equal((await postSigned(`${second}/webhooks/whatsapp`, body, SECRET)).status, 200);
        }
        await waitFor('an SMS for every failure', () => twilio.messages.length >= FAILURES, 60_000);
        // Both hand-offs of every failure tried (the second finds the claim) before counting.
        await waitFor(
          'every hand-off tried',
          async () => {
            let n = 0;
            for (const d of JSON.parse((await api(a, 'GET', '/api/v1/destinations')).body).data as Array<{
              id: string;
            }>)
              n += (
                JSON.parse((await api(a, 'GET', `/api/v1/destinations/${d.id}/attempts?limit=100`)).body)
                  .data as unknown[]
              ).length;
            return n >= 2 * FAILURES;
          },
          60_000,
        );
        const bodies = twilio.messages.map((m) => m.body).sort();
        const expected = Array.from({ length: FAILURES }, (_, i) => `SMS for wamid.PGSMS${i}`).sort();
        assert.deepEqual(bodies, expected);
      } finally {
        for (const p of procs) {
          p.child.kill('SIGTERM');
          await p.exited;
        }
        await twilio.close();
      }
    },
  );
});
