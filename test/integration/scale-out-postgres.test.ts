/**
 * Scale-out on PostgreSQL (docs/operations.md): two `--role ingress` processes and worker
 * processes share one schema. Signed load is spread over both ingress ports while a worker is
 * SIGKILLed with leases in hand and another one started. Every acknowledged delivery must end
 * processed, and the events and state must equal a single-process run over the same deliveries.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { postgresSuite } from '../helpers/postgres-test-db.js';
import { spawnWharf, type SpawnedWharf } from '../helpers/spawn-wharf.js';
import { postSigned } from '../helpers/post-signed.js';
import { openDatabase } from '../../src/adapters/postgres/open-database.js';
import { distinctBodies, referenceState, shuffled, SNAPSHOT } from '../helpers/scale-out-load.js';

const SECRET = 'scale-out-secret';
await postgresSuite('scale-out on PostgreSQL', (pg) => {
  test(
    'two ingress and two successive workers (the first SIGKILLed mid-run) end with every delivery processed once and the single-process state',
    { timeout: 90_000 },
    async () => {
      const url = await pg.freshSchemaUrl();
      const schema = new URL(url).searchParams.get('schema') as string;
      const env = {
        DATABASE_URL: url,
        WHATSAPP_APP_SECRET: SECRET,
        WHARF_LEASE_SECONDS: '2',
        WHARF_BATCH_SIZE: '40',
        WHARF_LOG_LEVEL: 'warn',
      };
      const q = async <T extends object>(sql: string) =>
        (await pg.admin.query<T>(sql.replaceAll('$s', schema))).rows;
      const procs: SpawnedWharf[] = [];
      const start = async (role: string) => {
        const p = await spawnWharf({ ...env, WHARF_LOG_LEVEL: 'info' }, ['start', '--role', role]);
        procs.push(p);
        return p;
      };
      try {
        const [in1, in2, worker1] = await Promise.all([start('ingress'), start('ingress'), start('worker')]);
        const distinct = distinctBodies();
        // 1,500 POSTs: each distinct body several times (Meta retries), in a shuffled order.
        const load = shuffled(
          Array.from({ length: 1500 }, (_, i) => distinct[i % distinct.length] as string),
        );
        const ports = [(in1 as SpawnedWharf).port, (in2 as SpawnedWharf).port];
        const acked = new Set<string>();
        let next = 0;
        let sent = 0;
        const send = async () => {
          for (let i = next++; i < load.length; i = next++) {
            const body = load[i] as string;
            const port = ports[i % 2] as number;
            // A 503 (overload) is retried, as Meta does; only a 200 counts as acknowledged.
            for (let tries = 0; ; tries++) {
              const r = await postSigned(`http://127.0.0.1:${port}/webhooks/whatsapp`, body, SECRET);
              if (r.status === 200) break;
              assert.ok(tries < 20, `POST kept failing with ${r.status}`);
              await new Promise((res) => setTimeout(res, 50));
            }
            acked.add(createHash('sha256').update(body).digest('hex'));
            sent++;
          }
        };
        const senders = Array.from({ length: 12 }, send);

        // Kill the first worker while it holds leases, once some of the load is in.
        const pid = (worker1 as SpawnedWharf).child.pid as number;
        let leased = 0;
        const deadline = Date.now() + 20_000;
        while (Date.now() < deadline) {
          if (sent >= 300) {
            const [row] = await q<{ n: number }>(
              `SELECT count(*)::int AS n FROM $s.deliveries WHERE state = 'processing' AND lease_owner LIKE '%:${pid}:%'`,
            );
            leased = row?.n ?? 0;
            if (leased > 0) break;
          }
          await new Promise((r) => setTimeout(r, 2));
        }
        (worker1 as SpawnedWharf).child.kill('SIGKILL');
        await (worker1 as SpawnedWharf).exited;
        assert.ok(leased > 0, 'the worker was killed holding leases');
        const worker2 = await start('worker');
        await Promise.all(senders);
        assert.equal(sent, load.length);

        // Everything acknowledged gets processed (the dead worker's leases expire and are reclaimed).
        const until = Date.now() + 30_000;
        for (;;) {
          const [row] = await q<{ n: number }>(
            `SELECT count(*)::int AS n FROM $s.deliveries WHERE state <> 'processed'`,
          );
          if (row?.n === 0) break;
          assert.ok(Date.now() < until, `${row?.n} deliveries still unprocessed`);
          await new Promise((r) => setTimeout(r, 100));
        }
        const stored = await q<{ body_hash: string; attempts: number }>(
          'SELECT body_hash, attempts FROM $s.deliveries',
        );
        assert.deepEqual(
          new Set(stored.map((r) => r.body_hash)),
          acked,
          'every acknowledged delivery stored once',
        );
        assert.equal(stored.length, distinct.length);
        assert.ok(
          stored.every((r) => r.attempts === 0),
          'a crash is not a failed attempt',
        );
        const reclaimed = await q<{ n: number }>(
          `SELECT count(*)::int AS n FROM $s.deliveries WHERE lease_owner IS NOT NULL`,
        );
        assert.equal(reclaimed[0]?.n, 0);

        // Wharf's own pool settings (BIGINT as numbers, the schema's search_path) read rows as SQLite does.
        const db = openDatabase(url);
        const snap: Record<string, unknown[]> = {};
        try {
          for (const [t, sql] of Object.entries(SNAPSHOT)) snap[t] = (await db.pool.query(sql)).rows;
        } finally {
          await db.pool.end();
        }
        const reference = await referenceState(distinct);
        assert.ok((reference['events']?.length ?? 0) > 250);
        assert.deepEqual(snap, reference, 'events and state equal the single-process run');

        worker2.child.kill('SIGTERM');
        assert.equal((await worker2.exited).code, 0, worker2.output());
      } finally {
        for (const p of procs)
          if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
        await Promise.all(procs.map((p) => p.exited));
      }
    },
  );
});
