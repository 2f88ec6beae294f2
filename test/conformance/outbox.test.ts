import { outboxConformance } from './outbox.conformance.js';
import { createOutboxDb } from '../helpers/outbox-db.js';
import { deliveryState } from '../helpers/processing-harness.js';
import { postgresSuite } from '../helpers/postgres-test-db.js';
import { openDatabase } from '../../src/adapters/postgres/open-database.js';
import { migrate } from '../../src/adapters/postgres/migrate.js';
import { PostgresOutbox } from '../../src/adapters/postgres/outbox.js';
import { ThreadedOutbox } from '../../src/adapters/sqlite/threaded-outbox.js';
import { DispatchThread } from '../../src/adapters/sqlite/dispatch-thread.js';

outboxConformance('SQLite', async (now) => {
  const x = createOutboxDb(now);
  return {
    outbox: x.outbox,
    addDelivery: async (receivedAt, state) => x.addDelivery(receivedAt, state),
    addEvent: async (e) => x.addEvent(e),
    addRow: async (eventId, target, opts) => x.addRow(eventId, target, opts),
    row: async (id) => x.row(id),
    deliveryState: async (id) => deliveryState(x.db, id)?.state ?? 'missing',
    dispose: () => x.dispose(),
  };
});

// What a Wharf process uses: claims, marks and postponements written by the dispatch writer thread.
// Each test starts a worker thread (under tsx it loads TypeScript first): slower on a busy machine.
outboxConformance(
  'SQLite, dispatch writes in a worker thread',
  async (now) => {
    const x = createOutboxDb(now);
    const outbox = new ThreadedOutbox(x.path, new DispatchThread(x.path));
    return {
      outbox,
      addDelivery: async (receivedAt, state) => x.addDelivery(receivedAt, state),
      addEvent: async (e) => x.addEvent(e),
      addRow: async (eventId, target, opts) => x.addRow(eventId, target, opts),
      row: async (id) => x.row(id),
      deliveryState: async (id) => deliveryState(x.db, id)?.state ?? 'missing',
      async dispose() {
        await outbox.close();
        await x.dispose();
      },
    };
  },
  { timeoutMs: 120_000 },
);

await postgresSuite('PostgreSQL outbox', (pg) => {
  outboxConformance('PostgreSQL', async (now) => {
    const db = openDatabase(await pg.freshSchemaUrl());
    await migrate(db, now);
    const one = async <T>(sql: string, params: unknown[]) => (await db.pool.query(sql, params)).rows[0] as T;
    let n = 0;
    return {
      outbox: new PostgresOutbox(db),
      async addDelivery(receivedAt, state = 'processed') {
        n++;
        const r = await one<{ id: number }>(
          `INSERT INTO deliveries (received_at, body_hash, body, size, secret_index, request_id, state, processed_at)
           VALUES ($1, $2, $3, 2, 0, $4, $5, $1) RETURNING id`,
          [receivedAt, `hash-${n}-${receivedAt}`, Buffer.from('{}'), `req-${n}`, state],
        );
        return r.id;
      },
      async addEvent(e) {
        const r = await one<{ id: number }>(
          `INSERT INTO events (key, name, field, occurred_at, waba_id, phone_number_id, contact_wa_id, wamid, data, raw, delivery_id, created_at)
           VALUES ($1, $2, 'messages', $3, 'waba-1', $4, $5, $6, $7, $8, $9, $3) RETURNING id`,
          [
            e.key,
            e.name ?? 'message.text',
            e.occurredAt ?? now,
            e.phoneNumberId ?? '900000000000001',
            e.waId === undefined ? '447700900123' : e.waId,
            `wamid.${e.key}`,
            JSON.stringify({ text: { body: `hello ${e.key}` } }),
            JSON.stringify({ id: `wamid.${e.key}`, type: 'text' }),
            e.deliveryId ?? null,
          ],
        );
        return r.id;
      },
      async addRow(eventId, target, opts = {}) {
        const r = await one<{ id: number }>(
          `INSERT INTO outbox (event_id, target, state, next_attempt_at, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`,
          [eventId, target, opts.state ?? 'pending', opts.nextAttemptAt ?? now, now],
        );
        return r.id;
      },
      row: (id) => one<Record<string, unknown>>('SELECT * FROM outbox WHERE id = $1', [id]),
      deliveryState: async (id) =>
        (await one<{ state: string }>('SELECT state FROM deliveries WHERE id = $1', [id])).state,
      dispose: () => db.pool.end(),
    };
  });
});
