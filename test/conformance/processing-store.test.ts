import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  processingStoreConformance,
  drain,
  type ProcessingUnderTest,
} from './processing-store.conformance.js';
import { tempDir } from '../helpers/temp-dir.js';
import { readStatsConformance } from './read-stats.conformance.js';
import { deliveryState, insertDelivery, snapshotState, SNAPSHOT } from '../helpers/processing-harness.js';
import { postgresSuite } from '../helpers/postgres-test-db.js';
import { openDatabase as openSqlite } from '../../src/adapters/sqlite/open-database.js';
import { migrate as migrateSqlite } from '../../src/adapters/sqlite/migrate.js';
import { SqliteProcessingStore } from '../../src/adapters/sqlite/processing-store.js';
import { SqliteReadStore } from '../../src/adapters/sqlite/read-store.js';
import { CommitNotices } from '../../src/adapters/sqlite/commit-notices.js';
import {
  openDatabase as openPostgres,
  type PostgresDatabase,
} from '../../src/adapters/postgres/open-database.js';
import { migrate as migratePostgres } from '../../src/adapters/postgres/migrate.js';
import { PostgresProcessingStore } from '../../src/adapters/postgres/processing-store.js';
import { PostgresReadStore } from '../../src/adapters/postgres/read-store.js';
import {
  statusDelivery,
  textDelivery,
  preferenceDelivery,
  templateStatusDelivery,
} from '../helpers/webhook-bodies.js';

async function sqlite(): Promise<ProcessingUnderTest> {
  const dir = tempDir('wharf-conf-');
  const path = join(dir.path, 'wharf.db');
  const db = openSqlite(path);
  migrateSqlite(db, 0);
  const notices = new CommitNotices();
  const store = new SqliteProcessingStore(path, { notices });
  const reads = new SqliteReadStore(path, notices);
  return {
    store,
    reads,
    add: async (body, receivedAt) => String(insertDelivery(db, body, receivedAt)),
    delivery: async (id) => deliveryState(db, Number(id)) ?? { state: 'missing', attempts: -1, error: null },
    snapshot: async () => snapshotState(db),
    async dispose() {
      await reads.close();
      await store.close();
      db.close();
      dir.cleanup();
    },
  };
}

processingStoreConformance('SQLite', sqlite);
readStatsConformance('SQLite', sqlite);

let seq = 0;
async function addPostgres(db: PostgresDatabase, body: string, receivedAt = Date.now()): Promise<string> {
  const bytes = Buffer.from(body);
  const hash = createHash('sha256').update(bytes).update(String(++seq)).digest('hex');
  const r = await db.pool.query<{ id: number }>(
    `INSERT INTO deliveries (received_at, body_hash, body, size, secret_index, request_id)
     VALUES ($1, $2, $3, $4, 0, 'test') RETURNING id`,
    [receivedAt, hash, bytes, bytes.byteLength],
  );
  return String(r.rows[0]?.id);
}

await postgresSuite('PostgreSQL processing store', (pg) => {
  const make = async (): Promise<ProcessingUnderTest> => {
    const db = openPostgres(await pg.freshSchemaUrl());
    await migratePostgres(db, 0);
    const store = new PostgresProcessingStore(db);
    const reads = new PostgresReadStore(db);
    return {
      store,
      reads,
      add: (body, receivedAt) => addPostgres(db, body, receivedAt),
      delivery: async (id) =>
        (
          await db.pool.query<{ state: string; attempts: number; error: string | null }>(
            'SELECT state, attempts, error FROM deliveries WHERE id = $1',
            [id],
          )
        ).rows[0] ?? { state: 'missing', attempts: -1, error: null },
      snapshot: async () => {
        const out: Record<string, unknown[]> = {};
        for (const [t, sql] of Object.entries(SNAPSHOT)) out[t] = (await db.pool.query(sql)).rows;
        return out;
      },
      async dispose() {
        await reads.close();
        await store.close();
        await db.pool.end();
      },
    };
  };
  processingStoreConformance('PostgreSQL', make);
  readStatsConformance('PostgreSQL', make);

  test(
    'PostgreSQL and SQLite derive identical rows in every state table from the same deliveries',
    { timeout: 60_000 },
    async () => {
      const T0 = 1767225600;
      const bodies: string[] = [];
      // Each item once (its key names it); 35 = 5 statuses × 7 wamids, every pair once.
      for (let i = 0; i < 35; i++) {
        const who = { waId: `4477009000${i % 5}`, userId: `GB.${i % 5}`, name: `N${i % 3}` };
        const st = ['sent', 'delivered', 'read', 'failed', 'played'][i % 5] as string;
        bodies.push(
          statusDelivery({
            wamid: `wamid.${i % 7}`,
            status: st,
            ts: T0 + ((i * 7) % 13),
            ...who,
            ...(st === 'failed'
              ? { errorCode: i % 2 ? 131050 : 131026 }
              : { pricing: i % 2 ? 'utility' : 'marketing' }),
          }),
        );
        if (i % 4 === 0) bodies.push(textDelivery(`wamid.IN${i}`, T0 + i, `hi ${i}`, who.waId, who.userId));
        if (i % 6 === 0)
          bodies.push(preferenceDelivery(i % 12 ? 'stop' : 'resume', T0 + i, who.waId, who.userId));
        if (i % 5 === 0)
          bodies.push(templateStatusDelivery(7, ['APPROVED', 'PAUSED'][i % 2] as string, T0 + i));
      }
      const runs = [await sqlite(), await make()];
      try {
        const snaps = [];
        for (const [i, u] of runs.entries()) {
          const order = i === 0 ? bodies : [...bodies].reverse();
          for (const b of order) await u.add(b);
          await drain(u.store, i === 0 ? 3 : 17);
          snaps.push(await u.snapshot());
        }
        assert.ok((snaps[0]?.['messages']?.length ?? 0) > 5);
        assert.deepEqual(snaps[1], snaps[0]);
      } finally {
        for (const u of runs) await u.dispose();
      }
    },
  );

  test(
    'a worker whose lease expired and was taken over commits nothing for that delivery',
    { timeout: 30_000 },
    async () => {
      const u = await make();
      try {
        const id = await u.add(statusDelivery({ wamid: 'wamid.LOST', status: 'sent', ts: 1767225600 }));
        const t = 1_800_000_000_000;
        await u.store.claimBatch('slow', 10, 1000, t);
        await u.store.claimBatch('fast', 10, 1000, t + 2000);
        const late = await u.store.commitBatch({
          workerId: 'slow',
          now: t + 2500,
          processed: [{ deliveryId: id, events: [] }],
          invalid: [],
          failed: [],
          maxAttempts: 3,
        });
        assert.equal(late.committed.length, 0);
        assert.equal((await u.delivery(id)).state, 'processing', 'still leased by the worker that took over');
        await drain(u.store, 10, [], 3, 'fast');
        assert.equal((await u.delivery(id)).state, 'processing', 'not yet expired at the drain clock');
      } finally {
        await u.dispose();
      }
    },
  );

  test(
    'three workers draining one backlog concurrently store every event once and never deadlock',
    { timeout: 60_000 },
    async () => {
      const u = await make();
      try {
        const T0 = 1767225600;
        // Statuses of a few shared wamids in every delivery, so concurrent batches touch the same rows.
        for (let i = 0; i < 300; i++)
          await u.add(
            statusDelivery(
              { wamid: `wamid.${i % 4}`, status: 'sent', ts: T0 + i, userId: `GB.${i % 3}` },
              { wamid: `wamid.X${i}`, status: 'delivered', ts: T0 + i, userId: `GB.${(i + 1) % 3}` },
              { wamid: `wamid.${(i + 2) % 4}`, status: 'read', ts: T0 + i, userId: `GB.${(i + 2) % 3}` },
            ),
          );
        const stats = await Promise.all(['w1', 'w2', 'w3'].map((w) => drain(u.store, 7, [], 3, w)));
        const committed = stats.flat().flatMap((s) => s.outcome.committed.map((c) => c.event.key));
        assert.equal(new Set(committed).size, committed.length, 'no event committed twice');
        const snap = await u.snapshot();
        assert.equal(snap['events']?.length, committed.length);
        assert.equal(snap['events']?.length, 4 + 300 + 4);
        assert.ok(
          stats.every((s) => s.length > 0),
          'every worker took part',
        );
      } finally {
        await u.dispose();
      }
    },
  );
});
