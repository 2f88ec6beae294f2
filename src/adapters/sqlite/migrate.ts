import type { SqliteDatabase } from './open-database.js';
import { readMigrations } from '../read-migrations.js';
import { pendingMigrations, type Migration } from '../../core/pending-migrations.js';

function appliedVersions(db: SqliteDatabase): Set<number> {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const rows = db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>;
  return new Set(rows.map((r) => r.version));
}

/** Applies pending migrations, each in its own transaction. Returns the versions applied. */
export function migrate(db: SqliteDatabase, now: number): Migration[] {
  const todo = pendingMigrations(readMigrations('sqlite'), appliedVersions(db));
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of todo) {
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, now);
    }).immediate();
  }
  return todo;
}

/** Migrations known to this build but not applied to the database. */
export function missingMigrations(db: SqliteDatabase): Migration[] {
  return pendingMigrations(readMigrations('sqlite'), appliedVersions(db));
}
