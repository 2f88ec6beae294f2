import { join } from 'node:path';
import { mediaDownloadsConformance } from './media-downloads.conformance.js';
import { tempDir } from '../helpers/temp-dir.js';
import { postgresSuite } from '../helpers/postgres-test-db.js';
import { openDatabase as openSqlite } from '../../src/adapters/sqlite/open-database.js';
import { migrate as migrateSqlite } from '../../src/adapters/sqlite/migrate.js';
import { SqliteMediaDownloads } from '../../src/adapters/sqlite/media-downloads.js';
import { openDatabase as openPostgres } from '../../src/adapters/postgres/open-database.js';
import { migrate as migratePostgres } from '../../src/adapters/postgres/migrate.js';
import { PostgresMediaDownloads } from '../../src/adapters/postgres/media-downloads.js';

mediaDownloadsConformance('SQLite', async () => {
  const dir = tempDir('wharf-media-');
  const path = join(dir.path, 'wharf.db');
  const db = openSqlite(path);
  migrateSqlite(db, 0);
  db.close();
  const downloads = new SqliteMediaDownloads(path);
  const other = new SqliteMediaDownloads(path);
  return {
    downloads,
    other,
    async dispose() {
      await downloads.close();
      await other.close();
      dir.cleanup();
    },
  };
});

await postgresSuite('PostgreSQL media downloads', (pg) => {
  mediaDownloadsConformance('PostgreSQL', async () => {
    const url = await pg.freshSchemaUrl();
    const a = openPostgres(url);
    const b = openPostgres(url);
    await migratePostgres(a, 0);
    return {
      downloads: new PostgresMediaDownloads(a),
      other: new PostgresMediaDownloads(b),
      async dispose() {
        await a.pool.end();
        await b.pool.end();
      },
    };
  });
});
