import { join } from 'node:path';
import { inboxConformance } from './inbox.conformance.js';
import { tempDir } from '../helpers/temp-dir.js';
import { postgresSuite } from '../helpers/postgres-test-db.js';
import { SqliteInbox } from '../../src/adapters/sqlite/inbox.js';
import { openDatabase as openSqlite } from '../../src/adapters/sqlite/open-database.js';
import { migrate as migrateSqlite } from '../../src/adapters/sqlite/migrate.js';
import { PostgresInbox } from '../../src/adapters/postgres/inbox.js';
import { openDatabase as openPostgres } from '../../src/adapters/postgres/open-database.js';
import { migrate as migratePostgres } from '../../src/adapters/postgres/migrate.js';

inboxConformance('SQLite', async ({ migrated }) => {
  const dir = tempDir();
  const path = join(dir.path, 'inbox.db');
  if (migrated) {
    const db = openSqlite(path);
    migrateSqlite(db, Date.now());
    db.close();
  }
  return { inbox: new SqliteInbox(path), dispose: async () => dir.cleanup() };
});

await postgresSuite('PostgreSQL inbox', (pg) => {
  inboxConformance('PostgreSQL', async ({ migrated }) => {
    const db = openPostgres(await pg.freshSchemaUrl());
    if (migrated) await migratePostgres(db, Date.now());
    return { inbox: new PostgresInbox(db), dispose: () => db.pool.end() };
  });
});
