/**
 * The database sinks end to end (docs/destinations.md, "Your own database"): 1,000 events sent to a
 * real `wharf` process become exactly 1,000 rows in MariaDB and in PostgreSQL, also when the process
 * is killed with SIGKILL while rows are being written and restarted, and again after a replay of all
 * of them: retries, leases running out and replays never write an event twice.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { spawnWharf } from '../../helpers/spawn-wharf.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { httpRequest, postSigned } from '../../helpers/post-signed.js';
import { statusDelivery, type StatusSpec } from '../../helpers/webhook-bodies.js';
import { waitFor } from '../../helpers/wait-for.js';
import { SERVICE_URLS, serviceProblem, serviceSuite } from '../../helpers/service-suite.js';
import { freshMysqlDatabase } from '../../helpers/mysql-test-db.js';
import { postgresSuite } from '../../helpers/postgres-test-db.js';

const SECRET = 'sink-kill-secret';
const TOKEN = 'sink-kill-token';
const EVENTS = 1000;
const PER_DELIVERY = 20;
const T0 = 1767225600; // 2026-01-01T00:00:00Z

interface Sink {
  readonly destination: Record<string, unknown>;
  count(): Promise<number>;
  distinctKeys(): Promise<number>;
}

async function run(sink: Sink): Promise<void> {
  const dir = tempDir();
  const env = {
    DATABASE_URL: `sqlite:${join(dir.path, 'wharf.db')}`,
    WHATSAPP_APP_SECRET: SECRET,
    WHARF_API_TOKEN: TOKEN,
    WHARF_LEASE_SECONDS: '1',
    WHARF_DESTINATIONS_ALLOW_PRIVATE: 'true',
  };
  const script = 'test/helpers/destination-wharf-process.ts';
  const api = (base: string, method: string, path: string, body?: unknown) =>
    httpRequest(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  try {
    const first = await spawnWharf(env, [], script);
    const base1 = `http://127.0.0.1:${first.port}`;
    // A rate limit keeps the drain going for a few seconds, so the kill comes while rows are written.
    const created = await api(base1, 'POST', '/api/v1/destinations', {
      ...sink.destination,
      max_in_flight: 50,
      rate_limit_per_second: 300,
    });
    assert.equal(created.status, 201, created.body);
    const id = (JSON.parse(created.body) as { id: string }).id;
    for (let d = 0; d < EVENTS / PER_DELIVERY; d++) {
      const statuses: StatusSpec[] = Array.from({ length: PER_DELIVERY }, (_, i) => {
        const n = d * PER_DELIVERY + i;
        return { wamid: `wamid.SINK${n}`, status: 'delivered', ts: T0 + n };
      });
      const a = await postSigned(`${base1}/webhooks/whatsapp`, statusDelivery(...statuses), SECRET);
      assert.equal(a.status, 200);
    }
    await waitFor('some rows written', async () => (await sink.count()) >= 100, 30_000);
    first.child.kill('SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');
    const written = await sink.count();
    assert.ok(written < EVENTS, `killed mid-way (${written} rows then)`);

    const second = await spawnWharf(env, [], script);
    const base2 = `http://127.0.0.1:${second.port}`;
    try {
      // Lift the limit: the rest drains at full speed after the restart.
      const patched = await api(base2, 'PATCH', `/api/v1/destinations/${id}`, {
        rate_limit_per_second: null,
      });
      assert.equal(patched.status, 200, patched.body);
      await waitFor('every event as a row', async () => (await sink.count()) >= EVENTS, 60_000);
      assert.equal(await sink.count(), EVENTS, 'exactly one row per event after the kill');
      assert.equal(await sink.distinctKeys(), EVENTS);

      const replay = await api(base2, 'POST', `/api/v1/destinations/${id}/replay`, {
        from: '2025-12-31T00:00:00Z',
        to: '2026-01-02T00:00:00Z',
      });
      assert.equal(replay.status, 202, replay.body);
      assert.equal((JSON.parse(replay.body) as { queued: number }).queued, EVENTS);
      // The replay is delivered (each attempt logged as delivered) and writes nothing new.
      await waitFor(
        'the replay delivered',
        async () => {
          const attempts = await api(base2, 'GET', `/api/v1/destinations/${id}/attempts?limit=5`);
          const data = (JSON.parse(attempts.body) as { data: Array<{ response_excerpt: string | null }> })
            .data;
          return (
            data.length > 0 && data.every((a) => /: 0 of \d+ rows written/.test(a.response_excerpt ?? ''))
          );
        },
        60_000,
      );
      const metrics = await httpRequest(`${base2}/metrics`, {});
      const backlog = [...metrics.body.matchAll(/^wharf_destination_backlog\{[^}]*\} (\d+)/gm)];
      await waitFor('no backlog left', async () => {
        const m = await httpRequest(`${base2}/metrics`, {});
        return [...m.body.matchAll(/^wharf_destination_backlog\{[^}]*\} (\d+)/gm)].every((x) => x[1] === '0');
      });
      assert.ok(backlog.length > 0, 'the backlog metric is there');
      assert.equal(await sink.count(), EVENTS, 'a replay of every event adds no row');
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  } finally {
    dir.cleanup();
  }
}

const mysqlDown = await serviceProblem(SERVICE_URLS.mysql);
serviceSuite('MariaDB / MySQL', mysqlDown, () => {
  describe('sink kind mysql through a wharf process', () => {
    const db = freshMysqlDatabase();
    test(
      '1,000 events are 1,000 rows, across a SIGKILL mid-way and a replay',
      { timeout: 180_000 },
      async () => {
        const mysql = await db;
        await run({
          destination: { name: 'my-mysql', kind: 'mysql', url: mysql.url, table: 'wa_events' },
          count: async () => {
            const rows = await mysql
              .rows<{ n: number }>('SELECT COUNT(*) AS n FROM wa_events')
              .catch(() => [{ n: 0 }]);
            return Number(rows[0]?.n ?? 0);
          },
          distinctKeys: async () =>
            Number(
              (await mysql.rows<{ n: number }>('SELECT COUNT(DISTINCT event_key) AS n FROM wa_events'))[0]?.n,
            ),
        });
      },
    );
  });
});

await postgresSuite('PostgreSQL', (pgdb) => {
  test(
    'sink kind postgres: 1,000 events are 1,000 rows, across a SIGKILL mid-way and a replay',
    { timeout: 180_000 },
    async () => {
      const schema = new URL(await pgdb.freshSchemaUrl()).searchParams.get('schema') ?? '';
      const table = `${schema}.wa_events`;
      await run({
        destination: { name: 'my-postgres', kind: 'postgres', url: pgdb.serverUrl, table },
        count: async () =>
          Number(
            (await pgdb.admin.query(`SELECT COUNT(*) AS n FROM ${table}`).catch(() => ({ rows: [{ n: 0 }] })))
              .rows[0]?.n,
          ),
        distinctKeys: async () =>
          Number((await pgdb.admin.query(`SELECT COUNT(DISTINCT event_key) AS n FROM ${table}`)).rows[0]?.n),
      });
    },
  );
});
