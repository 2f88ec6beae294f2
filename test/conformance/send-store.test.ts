import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { sendStoreConformance } from './send-store.conformance.js';
import { tempDir } from '../helpers/temp-dir.js';
import { insertDelivery } from '../helpers/processing-harness.js';
import { postgresSuite } from '../helpers/postgres-test-db.js';
import { openDatabase as openSqlite } from '../../src/adapters/sqlite/open-database.js';
import { migrate as migrateSqlite } from '../../src/adapters/sqlite/migrate.js';
import { SqliteProcessingStore } from '../../src/adapters/sqlite/processing-store.js';
import { SqliteSendStore } from '../../src/adapters/sqlite/send-store.js';
import { openDatabase as openPostgres } from '../../src/adapters/postgres/open-database.js';
import { migrate as migratePostgres } from '../../src/adapters/postgres/migrate.js';
import { PostgresProcessingStore } from '../../src/adapters/postgres/processing-store.js';
import { PostgresSendStore } from '../../src/adapters/postgres/send-store.js';

sendStoreConformance('SQLite', async () => {
  const dir = tempDir('wharf-sends-');
  const path = join(dir.path, 'wharf.db');
  const db = openSqlite(path);
  migrateSqlite(db, 0);
  const processing = new SqliteProcessingStore(path);
  const sends = new SqliteSendStore(path);
  return {
    processing,
    sends,
    add: async (body) => void insertDelivery(db, body),
    async dispose() {
      await sends.close();
      await processing.close();
      db.close();
      dir.cleanup();
    },
  };
});

let seq = 0;
await postgresSuite('PostgreSQL send store', (pg) => {
  sendStoreConformance('PostgreSQL', async () => {
    const db = openPostgres(await pg.freshSchemaUrl());
    await migratePostgres(db, 0);
    const processing = new PostgresProcessingStore(db);
    const sends = new PostgresSendStore(db);
    return {
      processing,
      sends,
      async add(body) {
        const bytes = Buffer.from(body);
        const hash = createHash('sha256').update(bytes).update(String(++seq)).digest('hex');
        await db.pool.query(
          `INSERT INTO deliveries (received_at, body_hash, body, size, secret_index, request_id)
           VALUES ($1, $2, $3, $4, 0, 'test')`,
          [Date.now(), hash, bytes, bytes.byteLength],
        );
      },
      async dispose() {
        await sends.close();
        await processing.close();
        await db.pool.end();
      },
    };
  });
});
