import type { SqliteDatabase } from './open-database.js';
import { readMigrations } from '../read-migrations.js';
import {
  migrationsToApply,
  pendingMigrations,
  type AppliedMigration,
  type Migration,
} from '../../core/pending-migrations.js';

function appliedMigrations(db: SqliteDatabase): AppliedMigration[] {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  return db.prepare('SELECT version, name FROM schema_migrations').all() as AppliedMigration[];
}

function appliedVersions(db: SqliteDatabase): Set<number> {
  return new Set(appliedMigrations(db).map((m) => m.version));
}

/** Applies pending migrations, each in its own transaction. Returns the versions applied. */
export function migrate(db: SqliteDatabase, now: number): Migration[] {
  const todo = migrationsToApply(readMigrations('sqlite'), appliedMigrations(db));
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
