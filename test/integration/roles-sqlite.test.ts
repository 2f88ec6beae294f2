/**
 * Roles on one SQLite file: two `--role ingress` processes (each with its own inbox writer thread)
 * and a `--role worker` process (which writes on its own thread). Every acknowledged delivery must
 * be stored once — the same bytes arrive at both ingress processes, so each writer has to see what
 * the other committed — and processed, with the events and state of a single-process run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { spawnWharf, type SpawnedWharf } from '../helpers/spawn-wharf.js';
import { postSigned } from '../helpers/post-signed.js';
import { deliveryState, snapshotState } from '../helpers/processing-harness.js';
import { distinctBodies, referenceState, shuffled } from '../helpers/scale-out-load.js';
import { tempDir } from '../helpers/temp-dir.js';
import { openDatabase } from '../../src/adapters/sqlite/open-database.js';

const SECRET = 'roles-sqlite-secret';

test(
  'two ingress processes and a worker on one SQLite file: each acknowledged body stored once (also one misrouted to the worker), all processed, state as a single process',
  { timeout: 90_000 },
  async () => {
    const dir = tempDir('wharf-roles-');
    const path = join(dir.path, 'wharf.db');
    const env = {
      DATABASE_URL: `sqlite:${path}`,
      WHATSAPP_APP_SECRET: SECRET,
      WHARF_BATCH_SIZE: '40',
      WHARF_LOG_LEVEL: 'info',
    };
    const procs: SpawnedWharf[] = [];
    try {
      // Migrations first, by one process, so the others start on a ready file.
      const first = await spawnWharf(env, ['start', '--role', 'ingress']);
      procs.push(first);
      const [second, worker] = await Promise.all([
        spawnWharf(env, ['start', '--role', 'ingress']),
        spawnWharf(env, ['start', '--role', 'worker']),
      ]);
      procs.push(second, worker);
      const distinct = distinctBodies();
      const load = shuffled(Array.from({ length: 1200 }, (_, i) => distinct[i % distinct.length] as string));
      // Every fifth delivery is misrouted to the worker, which stores and acknowledges it too.
      const ports = [first.port, second.port, first.port, second.port, worker.port];
      const acked = new Set<string>();
      let refused = 0;
      let next = 0;
      const send = async () => {
        for (let i = next++; i < load.length; i = next++) {
          const body = load[i] as string;
          // Three processes share one SQLite file: a writer waiting on the others' locks may shed
          // with 503 + Retry-After, which Meta answers by sending the same body again.
          let r = { status: 0 };
          for (let attempt = 0; attempt < 20 && r.status !== 200; attempt++) {
            if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50));
            r = await postSigned(
              `http://127.0.0.1:${ports[i % ports.length]}/webhooks/whatsapp`,
              body,
              SECRET,
            );
            assert.ok(r.status === 200 || r.status === 503, `status ${r.status}`);
            if (r.status === 503) refused++;
          }
          assert.equal(r.status, 200);
          acked.add(createHash('sha256').update(body).digest('hex'));
        }
      };
      await Promise.all(Array.from({ length: 12 }, send));

      const db = openDatabase(path, { busyTimeoutMs: 5000 });
      try {
        const ids = db.prepare('SELECT id FROM deliveries').pluck().all() as number[];
        const until = Date.now() + 30_000;
        for (;;) {
          const left = ids.filter((id) => deliveryState(db, id)?.state !== 'processed').length;
          if (left === 0) break;
          assert.ok(Date.now() < until, `${left} deliveries still unprocessed`);
          await new Promise((r) => setTimeout(r, 100));
        }
        const stored = db.prepare('SELECT body_hash FROM deliveries').pluck().all() as string[];
        assert.equal(stored.length, distinct.length, 'each distinct body stored once');
        assert.deepEqual(new Set(stored), acked);
        const duplicates = db.prepare('SELECT sum(duplicates) FROM deliveries').pluck().get() as number;
        // A 503 at the answer deadline can come while its write is already on the way to the file;
        // when that write lands, the sender's retry is a second arrival of stored bytes and counts
        // as one more duplicate. Nothing else may add to the count.
        const others = load.length - distinct.length;
        assert.ok(
          duplicates >= others && duplicates <= others + refused,
          `every other copy counted as a duplicate: ${duplicates}, expected ${others} (+ at most ${refused} answered 503)`,
        );
        const snap = snapshotState(db);
        delete snap['outbox'];
        assert.deepEqual(
          snap,
          await referenceState(distinct),
          'events and state equal the single-process run',
        );
      } finally {
        db.close();
      }
      for (const p of procs) p.child.kill('SIGTERM');
      for (const p of procs) assert.equal((await p.exited).code, 0, p.output());
    } finally {
      for (const p of procs)
        if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
      await Promise.all(procs.map((p) => p.exited));
      dir.cleanup();
    }
  },
);
