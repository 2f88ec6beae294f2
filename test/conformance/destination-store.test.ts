import { destinationStoreConformance } from './destination-store.conformance.js';
import { createOutboxDb } from '../helpers/outbox-db.js';
import { postgresSuite } from '../helpers/postgres-test-db.js';
import { openDatabase } from '../../src/adapters/postgres/open-database.js';
import { migrate } from '../../src/adapters/postgres/migrate.js';
import { SqliteDestinationStore } from '../../src/adapters/sqlite/destination-store.js';
import { PostgresDestinationStore } from '../../src/adapters/postgres/destination-store.js';
import { ThreadedDestinationStore } from '../../src/adapters/sqlite/threaded-destination-store.js';
import { DispatchThread } from '../../src/adapters/sqlite/dispatch-thread.js';

type Row = { event_id: number; state: string; attempts: number; contact_key: string | null };
const ROWS = 'SELECT event_id, state, attempts, contact_key FROM outbox WHERE target = ? ORDER BY event_id';

for (const [name, open] of [
  ['SQLite', (path: string) => new SqliteDestinationStore(path)],
  // What a Wharf process uses: the attempt log written by the dispatch writer thread.
  [
    'SQLite, attempt log written in a worker thread',
    (path: string) => new ThreadedDestinationStore(path, new DispatchThread(path)),
  ],
] as const)
  destinationStoreConformance(name, async (now) => {
    const x = createOutboxDb(now);
    const store = open(x.path);
    return {
      store,
      addEvent: async (e) => x.addEvent({ key: e.key, occurredAt: e.occurredAt, waId: e.waId ?? null }),
      rows: async (target) => x.db.prepare(ROWS).all(target) as Row[],
      async setRowState(target, eventId, state) {
        x.db
          .prepare('UPDATE outbox SET state = ? WHERE target = ? AND event_id = ?')
          .run(state, target, eventId);
      },
      async dispose() {
        await store.close();
        await x.dispose();
      },
    };
  });

await postgresSuite('PostgreSQL destination store', (pg) => {
  destinationStoreConformance('PostgreSQL', async (now) => {
    const db = openDatabase(await pg.freshSchemaUrl());
    await migrate(db, now);
    return {
      store: new PostgresDestinationStore(db),
      async addEvent(e) {
        const r = await db.pool.query<{ id: number }>(
          `INSERT INTO events (key, name, field, occurred_at, waba_id, contact_wa_id, data, raw, created_at)
           VALUES ($1, 'message.text', 'messages', $2, 'waba-1', $3, '{}', '{}', $2) RETURNING id`,
          [e.key, e.occurredAt, e.waId ?? null],
        );
        return Number(r.rows[0]?.id);
      },
      rows: async (target) =>
        (await db.pool.query<Row>(ROWS.replace('?', '$1'), [target])).rows.map((r) => ({
          ...r,
          event_id: Number(r.event_id),
        })),
      async setRowState(target, eventId, state) {
        await db.pool.query('UPDATE outbox SET state = $1 WHERE target = $2 AND event_id = $3', [
          state,
          target,
          eventId,
        ]);
      },
      dispose: () => db.pool.end(),
    };
  });
});
