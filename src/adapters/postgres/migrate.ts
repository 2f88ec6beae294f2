import type { PoolClient } from 'pg';
import type { PostgresDatabase } from './open-database.js';
import { readMigrations } from '../read-migrations.js';
import {
  migrationsToApply,
  pendingMigrations,
  type AppliedMigration,
  type Migration,
} from '../../core/pending-migrations.js';

const CREATE_TABLE =
  'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)';

/**
 * Applies pending migrations, each in its own transaction. Returns the versions this call applied.
 *
 * Many processes start together in a scale-out deployment, so every step runs under a
 * transaction-scoped advisory lock keyed by the schema: the first process applies a migration,
 * the others wait for its commit, re-read schema_migrations and find nothing left to do. (Even
 * `CREATE TABLE IF NOT EXISTS` races without it: two sessions can both pass the existence check.)
 */
export async function migrate(db: PostgresDatabase, now: number): Promise<Migration[]> {
  const all = readMigrations('postgres');
  const applied: Migration[] = [];
  const client = await db.pool.connect();
  try {
    for (;;) {
      await client.query('BEGIN');
      try {
        await lockMigrations(client, db.schema);
        if (db.schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${db.schema}`);
        await client.query(CREATE_TABLE);
        const next = migrationsToApply(all, await appliedMigrations(client))[0];
        if (next === undefined) {
          await client.query('COMMIT');
          return applied;
        }
        await client.query(next.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          next.version,
          next.name,
          now,
        ]);
        await client.query('COMMIT');
        applied.push(next);
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    }
  } finally {
    client.release();
  }
}

/** Migrations known to this build but not applied (all of them when nothing was ever applied). */
export async function missingMigrations(db: PostgresDatabase): Promise<Migration[]> {
  const all = readMigrations('postgres');
  const exists = await db.pool.query<{ t: string | null }>(
    "SELECT to_regclass('schema_migrations')::text AS t",
  );
  if (exists.rows[0]?.t == null) return all;
  const rows = await db.pool.query<{ version: number }>('SELECT version FROM schema_migrations');
  return pendingMigrations(all, new Set(rows.rows.map((r) => r.version)));
}

async function lockMigrations(client: PoolClient, schema: string | undefined): Promise<void> {
  // Keyed by schema so deployments (or test files) in different schemas do not wait on each other.
  await client.query("SELECT pg_advisory_xact_lock(hashtext('wharf.migrate:' || $1))", [
    schema ?? '(default)',
  ]);
}

async function appliedMigrations(client: PoolClient): Promise<AppliedMigration[]> {
  return (await client.query<AppliedMigration>('SELECT version, name FROM schema_migrations')).rows;
}
