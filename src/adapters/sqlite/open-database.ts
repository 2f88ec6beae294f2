import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type SqliteDatabase = Database.Database;

export interface OpenOptions {
  readonly busyTimeoutMs?: number;
  readonly readonly?: boolean;
}

/** `sqlite:./data/wharf.db` → `./data/wharf.db`. */
export function sqlitePath(databaseUrl: string): string {
  if (!databaseUrl.startsWith('sqlite:')) throw new Error(`not a sqlite URL: ${databaseUrl}`);
  const path = databaseUrl.slice('sqlite:'.length);
  if (path === '' || path === ':memory:')
    throw new Error('DATABASE_URL: an in-memory SQLite database cannot be durable; give a file path');
  return path;
}

/**
 * Opens a connection with the durability settings a 200 promises (acknowledged means on disk):
 * WAL with synchronous=FULL — better-sqlite3 leaves NORMAL in WAL, which can lose the last
 * commits on power loss, so it is set explicitly on every connection.
 */
export function openDatabase(path: string, options: OpenOptions = {}): SqliteDatabase {
  if (!options.readonly) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, {
    readonly: options.readonly ?? false,
    fileMustExist: options.readonly ?? false,
  });
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  if (!options.readonly) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  return db;
}
