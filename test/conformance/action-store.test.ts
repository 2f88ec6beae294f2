import { join } from 'node:path';
import { actionStoreConformance } from './action-store.conformance.js';
import { tempDir } from '../helpers/temp-dir.js';
import { postgresSuite } from '../helpers/postgres-test-db.js';
import { openDatabase as openSqlite } from '../../src/adapters/sqlite/open-database.js';
import { migrate as migrateSqlite } from '../../src/adapters/sqlite/migrate.js';
import { SqliteActionStore } from '../../src/adapters/sqlite/action-store.js';
import { openDatabase as openPostgres } from '../../src/adapters/postgres/open-database.js';
import { migrate as migratePostgres } from '../../src/adapters/postgres/migrate.js';
import { PostgresActionStore } from '../../src/adapters/postgres/action-store.js';

actionStoreConformance('SQLite', async () => {
  const dir = tempDir('wharf-actions-');
  const path = join(dir.path, 'wharf.db');
  const db = openSqlite(path);
  migrateSqlite(db, 0);
  db.close();
  const store = new SqliteActionStore(path);
  const other = new SqliteActionStore(path);
  return {
    store,
    other,
    async dispose() {
      await store.close();
      await other.close();
      dir.cleanup();
    },
  };
});

await postgresSuite('PostgreSQL action store', (pg) => {
  actionStoreConformance('PostgreSQL', async () => {
    const url = await pg.freshSchemaUrl();
    const a = openPostgres(url);
    const b = openPostgres(url);
    await migratePostgres(a, 0);
    return {
      store: new PostgresActionStore(a),
      other: new PostgresActionStore(b),
      async dispose() {
        await a.pool.end();
        await b.pool.end();
      },
    };
  });
});
