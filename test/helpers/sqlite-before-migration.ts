import { join } from 'node:path';
import { tempDir } from './temp-dir.js';
import { openDatabase, type SqliteDatabase } from '../../src/adapters/sqlite/open-database.js';
import { readMigrations } from '../../src/adapters/read-migrations.js';

/**
 * A SQLite database at `path` with every migration below `version` applied and recorded, the way an
 * installation of an earlier release has it, so a test can fill it and then run `migrate`.
 */
export function sqliteBeforeMigration(path: string, version: number): SqliteDatabase {
  const db = openDatabase(path);
  db.exec(
    'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  for (const m of readMigrations('sqlite').filter((x) => x.version < version)) {
    db.exec(m.sql);
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?, 0)').run(m.version, m.name);
  }
  return db;
}

/** Runs `fn` on such a database in a temporary folder, removed afterwards (the database closed). */
export async function withSqliteBeforeMigration(
  version: number,
  fn: (db: SqliteDatabase, path: string) => Promise<void> | void,
): Promise<void> {
  const dir = tempDir(`wharf-before-${version}-`);
  const path = join(dir.path, 'wharf.db');
  const db = sqliteBeforeMigration(path, version);
  try {
    await fn(db, path);
  } finally {
    db.close();
    dir.cleanup();
  }
}
