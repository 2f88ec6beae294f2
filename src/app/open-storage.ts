import type { WharfConfig } from '../config/load-config.js';
import type { Inbox } from '../ports/inbox.js';
import { openDatabase, sqlitePath } from '../adapters/sqlite/open-database.js';
import { migrate as migrateSqlite } from '../adapters/sqlite/migrate.js';
import { SqliteInbox } from '../adapters/sqlite/inbox.js';
import { isPostgresUrl, migratePostgres, openPostgresStorage } from './open-postgres-storage.js';

export interface Storage {
  readonly kind: 'sqlite' | 'postgres';
  readonly inbox: Inbox;
  close(): Promise<void>;
}

export interface OpenStorageOptions {
  /** Apply pending migrations first (wharf start does; wharf migrate only migrates). */
  readonly migrate: boolean;
  readonly now: () => number;
  readonly busyTimeoutMs?: number;
}

/** Applies pending migrations; returns the versions applied. */
export async function migrateStorage(config: WharfConfig, now: () => number): Promise<number[]> {
  if (config.databaseUrl.startsWith('sqlite:')) {
    const db = openDatabase(sqlitePath(config.databaseUrl));
    try {
      return migrateSqlite(db, now()).map((m) => m.version);
    } finally {
      db.close();
    }
  }
  if (isPostgresUrl(config.databaseUrl)) return migratePostgres(config, now);
  throw new Error(`DATABASE_URL must be sqlite:<path> or postgres://…`);
}

/** Picks the adapter from DATABASE_URL. */
export async function openStorage(config: WharfConfig, options: OpenStorageOptions): Promise<Storage> {
  if (isPostgresUrl(config.databaseUrl)) return openPostgresStorage(config, options);
  if (options.migrate) await migrateStorage(config, options.now);
  const path = sqlitePath(config.databaseUrl);
  const inbox = new SqliteInbox(path, {
    dedupeWindowMs: config.dedupeWindowHours * 3600 * 1000,
    ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
  });
  return { kind: 'sqlite', inbox, close: () => inbox.close() };
}
