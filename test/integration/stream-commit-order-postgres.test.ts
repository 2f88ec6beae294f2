/**
 * The SSE tail on PostgreSQL with several workers (ReadStore.eventsAfter / lastEventId): event
 * ids come from a sequence at insert time, but transactions commit in another order, so an event
 * with a lower id can become visible after a reader already moved past a higher one. The tail must
 * still hand out every committed event exactly once.
 *
 * A worker is caught mid-commit with a pool whose transactions stop before their last statement:
 * the real processing path (processBatch → commitBatch) has inserted its events and holds them
 * uncommitted while a second worker, on other connections, commits a later batch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { postgresSuite } from '../helpers/postgres-test-db.js';
import { statusDelivery } from '../helpers/webhook-bodies.js';
import { openDatabase, type PostgresDatabase } from '../../src/adapters/postgres/open-database.js';
import { migrate } from '../../src/adapters/postgres/migrate.js';
import { PostgresProcessingStore } from '../../src/adapters/postgres/processing-store.js';
import { processBatch } from '../../src/app/process-batch.js';
import type { ProcessingStore } from '../../src/ports/processing-store.js';
import type { ReadStore, StoredEvent } from '../../src/ports/read-store.js';
import { PostgresReadStore } from '../../src/adapters/postgres/read-store.js';

const T0 = 1767225600;

let seq = 0;
async function addDelivery(db: PostgresDatabase, body: string): Promise<void> {
  const bytes = Buffer.from(body);
  const hash = createHash('sha256').update(bytes).update(String(++seq)).digest('hex');
  await db.pool.query(
    `INSERT INTO deliveries (received_at, body_hash, body, size, secret_index, request_id)
     VALUES ($1, $2, $3, $4, 0, 'test')`,
    [Date.now(), hash, bytes, bytes.byteLength],
  );
}

/** Binds methods to the real object, so a Proxy only replaces what it names. */
function passThrough<T extends object>(target: T, prop: string | symbol): unknown {
  const v: unknown = Reflect.get(target, prop);
  return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
}

/**
 * `pool` whose transactions wait, with their events inserted, before the commit's last statement
 * (the one that sends the commit notice) until `resume()`; `paused` resolves when one does.
 */
function pausingBeforeCommit(pool: pg.Pool) {
  let resume!: () => void;
  const gate = new Promise<void>((r) => (resume = r));
  let reached!: () => void;
  const paused = new Promise<void>((r) => (reached = r));
  const gated = (client: pg.PoolClient) =>
    new Proxy(client, {
      get: (c, prop) =>
        prop === 'query'
          ? async (text: unknown, values?: unknown[]) => {
              if (typeof text === 'string' && text.includes('pg_notify')) {
                reached();
                await gate;
              }
              return c.query(text as string, values);
            }
          : passThrough(c, prop),
    });
  const proxy = new Proxy(pool, {
    get: (p, prop) => (prop === 'connect' ? async () => gated(await p.connect()) : passThrough(p, prop)),
  });
  return { pool: proxy, paused, resume };
}

/** One worker's batch through the real processing path. */
function work(store: ProcessingStore, workerId: string, limit: number) {
  return processBatch({
    store,
    targets: [],
    workerId,
    limit,
    leaseMs: 30_000,
    maxAttempts: 3,
    now: () => Date.now(),
  });
}

/** What an SSE client receives: pages of eventsAfter from its cursor, the cursor moved to the last id sent. */
async function tail(store: ReadStore, cursor: { id: string }, seen: StoredEvent[]): Promise<void> {
  for (;;) {
    const page = await store.eventsAfter(cursor.id, {}, 2);
    for (const e of page) {
      seen.push(e);
      cursor.id = e.id;
    }
    if (page.length < 2) return;
  }
}

await postgresSuite('PostgreSQL event stream with workers committing out of id order', (server) => {
  const open = async () => {
    const url = await server.freshSchemaUrl();
    const db = openDatabase(url);
    await migrate(db, 0);
    const slowDb = openDatabase(url);
    const slowPool = pausingBeforeCommit(slowDb.pool);
    const slow = new PostgresProcessingStore({ ...slowDb, pool: slowPool.pool });
    const fastDb = openDatabase(url);
    const fast = new PostgresProcessingStore(fastDb);
    const reader = new PostgresReadStore(db);
    return {
      db,
      slow,
      slowPool,
      fast,
      reader,
      async close() {
        await Promise.all([slow.close(), fast.close(), reader.close()]);
        await Promise.all([slowDb.pool.end(), fastDb.pool.end(), db.pool.end()]);
      },
    };
  };

  test(
    'an event committed after a reader passed a higher id is still streamed, once, in commit order',
    { timeout: 30_000 },
    async () => {
      const s = await open();
      try {
        const cursor = { id: await s.reader.lastEventId() };
        const seen: StoredEvent[] = [];
        await addDelivery(
          s.db,
          statusDelivery({ wamid: 'wamid.SLOW', status: 'sent', ts: T0, userId: 'GB.1' }),
        );
        const slowCommit = work(s.slow, 'slow', 1);
        await s.slowPool.paused; // its events have ids and are not committed yet
        await addDelivery(
          s.db,
          statusDelivery({ wamid: 'wamid.FAST', status: 'sent', ts: T0, userId: 'GB.2' }),
        );
        await addDelivery(
          s.db,
          statusDelivery({ wamid: 'wamid.FAST2', status: 'read', ts: T0, userId: 'GB.2' }),
        );
        assert.equal((await work(s.fast, 'fast', 10)).claimed, 2);

        await tail(s.reader, cursor, seen);
        s.slowPool.resume();
        assert.equal((await slowCommit).claimed, 1);
        await tail(s.reader, cursor, seen);

        const stored = await s.db.pool.query<{ id: string; wamid: string }>(
          'SELECT id::text, wamid FROM events ORDER BY id',
        );
        assert.equal(stored.rows[0]?.wamid, 'wamid.SLOW', 'the held-open commit took the lowest id');
        assert.deepEqual(
          seen.map((e) => e.id).sort(),
          stored.rows.map((r) => r.id).sort(),
          'every committed event once; none skipped, none repeated',
        );
        assert.equal(
          seen.at(-1)?.event.wamid,
          'wamid.SLOW',
          'in commit order: the batch committed last last',
        );
        assert.deepEqual(
          await s.reader.eventsAfter(cursor.id, {}, 10),
          [],
          'nothing left after the last one',
        );
      } finally {
        await s.close();
      }
    },
  );

  test(
    'a stream that starts while a commit is in flight still receives that commit’s events',
    { timeout: 30_000 },
    async () => {
      const s = await open();
      try {
        await addDelivery(
          s.db,
          statusDelivery({ wamid: 'wamid.SLOW', status: 'sent', ts: T0, userId: 'GB.1' }),
        );
        const slowCommit = work(s.slow, 'slow', 1);
        await s.slowPool.paused;
        await addDelivery(
          s.db,
          statusDelivery({ wamid: 'wamid.FAST', status: 'sent', ts: T0, userId: 'GB.2' }),
        );
        await work(s.fast, 'fast', 10);

        // SSE without Last-Event-ID starts at lastEventId(); a client resuming from it sees the rest.
        const cursor = { id: await s.reader.lastEventId() };
        const seen: StoredEvent[] = [];
        await tail(s.reader, cursor, seen);
        s.slowPool.resume();
        await slowCommit;
        await tail(s.reader, cursor, seen);
        const resumed: StoredEvent[] = [];
        await tail(s.reader, { id: cursor.id }, resumed);

        const wamids = seen.map((e) => e.event.wamid);
        assert.ok(
          wamids.includes('wamid.SLOW'),
          `the in-flight commit's event is streamed: ${wamids.join()}`,
        );
        assert.equal(new Set(wamids).size, wamids.length, 'no event twice');
        assert.deepEqual(resumed, [], 'resuming from the last id sent repeats nothing');
      } finally {
        await s.close();
      }
    },
  );
});
