import { join } from 'node:path';
import { retentionConformance, type FixtureDeliveryState } from './retention.conformance.js';
import { postgresSuite } from '../helpers/postgres-test-db.js';
import { tempDir } from '../helpers/temp-dir.js';
import { setDeliveryState } from '../helpers/processing-harness.js';
import { openDatabase as openSqlite } from '../../src/adapters/sqlite/open-database.js';
import { migrate as migrateSqlite } from '../../src/adapters/sqlite/migrate.js';
import { SqliteRetention } from '../../src/adapters/sqlite/retention.js';
import { openDatabase as openPostgres } from '../../src/adapters/postgres/open-database.js';
import { migrate as migratePostgres } from '../../src/adapters/postgres/migrate.js';
import { PostgresRetention } from '../../src/adapters/postgres/retention.js';

const EVENT_SQL = `INSERT INTO events (key, name, field, occurred_at, waba_id, data, delivery_id, created_at)
  VALUES ($1, 'message.text', 'messages', 0, 'waba-1', '{}', $2, 0)`;
const OUTBOX_SQL = `INSERT INTO outbox (event_id, target, state, next_attempt_at, created_at, updated_at)
  VALUES ($1, $2, $3, 0, 0, 0)`;
const sqliteParams = (sql: string) => sql.replace(/\$\d+/g, '?');

let hashes = 0;

retentionConformance('SQLite', async () => {
  const dir = tempDir('wharf-retention-');
  const path = join(dir.path, 'wharf.db');
  const db = openSqlite(path);
  migrateSqlite(db, 0);
  const retention = new SqliteRetention(path);
  return {
    retention,
    async addDelivery(receivedAt, state: FixtureDeliveryState = 'processed') {
      const id = Number(
        db
          .prepare(
            `INSERT INTO deliveries (received_at, body_hash, body, size, secret_index, request_id)
             VALUES (?, ?, ?, 2, 0, 'test')`,
          )
          .run(receivedAt, `hash-${++hashes}`, Buffer.from('{}')).lastInsertRowid,
      );
      // A replay leaves an outcome 'pending' (src/adapters/sqlite/requeue-deliveries.ts).
      if (state === 'requeued')
        db.prepare(`INSERT INTO delivery_outcomes (delivery_id, state) VALUES (?, 'pending')`).run(id);
      else setDeliveryState(db, id, state, receivedAt);
      return id;
    },
    addEvent: async (key, deliveryId) =>
      Number(db.prepare(sqliteParams(EVENT_SQL)).run(key, deliveryId).lastInsertRowid),
    addOutboxRow: async (eventId, target, state) =>
      Number(db.prepare(sqliteParams(OUTBOX_SQL)).run(eventId, target, state).lastInsertRowid),
    exec: async (sql) => void db.exec(sql),
    scalar: async (sql) => Number(db.prepare(sql).pluck().get()),
    async dispose() {
      await retention.close();
      db.close();
      dir.cleanup();
    },
  };
});

await postgresSuite('PostgreSQL retention', (pg) => {
  retentionConformance('PostgreSQL', async () => {
    const db = openPostgres(await pg.freshSchemaUrl());
    await migratePostgres(db, 0);
    const id = async (sql: string, params: unknown[]) =>
      Number((await db.pool.query<{ id: number }>(`${sql} RETURNING id`, params)).rows[0]?.id);
    return {
      retention: new PostgresRetention(db),
      addDelivery(receivedAt, state: FixtureDeliveryState = 'processed') {
        const processing = state === 'processing';
        return id(
          `INSERT INTO deliveries (received_at, body_hash, body, size, secret_index, request_id, state, lease_owner, lease_until)
           VALUES ($1, $2, $3, 2, 0, 'test', $4, $5, $6)`,
          [
            receivedAt,
            `hash-${++hashes}`,
            Buffer.from('{}'),
            state === 'requeued' ? 'pending' : state,
            processing ? 'elsewhere' : null,
            processing ? receivedAt + 60_000 : null,
          ],
        );
      },
      addEvent: (key, deliveryId) => id(EVENT_SQL, [key, deliveryId]),
      addOutboxRow: (eventId, target, state) => id(OUTBOX_SQL, [eventId, target, state]),
      exec: async (sql) => void (await db.pool.query(sql)),
      scalar: async (sql) => Number(Object.values((await db.pool.query(sql)).rows[0] ?? {})[0]),
      dispose: () => db.pool.end(),
    };
  });
});
