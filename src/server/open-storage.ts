/**
 * The one place that reads the storage kind: DATABASE_URL, taken apart by loadConfig, picks the
 * adapter whose ports every other part of Wharf uses through src/ports/.
 */
import type { WharfConfig } from '../config/load-config.js';
import type { Storage } from '../ports/storage.js';
import { openStorage as openSqlite } from '../adapters/sqlite/open-storage.js';
import { openStorage as openPostgres } from '../adapters/postgres/open-storage.js';

export interface OpenStorageOptions {
  /** A command run by hand (e.g. `replay`): see StorageOptions.operator. */
  readonly operator?: string;
  /** Longest wait for a lock; tests shorten it. */
  readonly busyTimeoutMs?: number;
}

/** The ports of DATABASE_URL's database, opened on first use; nothing is migrated here. */
export function openStorage(config: WharfConfig, options: OpenStorageOptions = {}): Storage {
  const storageOptions = {
    role: config.role,
    dedupeWindowMs: config.dedupeWindowHours * 3600 * 1000,
    ...(options.operator === undefined ? {} : { operator: options.operator }),
    ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
  };
  const location = config.storage;
  return location.kind === 'sqlite'
    ? openSqlite(location.path, storageOptions)
    : openPostgres(location.url, storageOptions);
}

/** `wharf migrate`: applies pending migrations; returns the versions applied. */
export async function migrateStorage(config: WharfConfig, now: () => number): Promise<number[]> {
  const storage = openStorage(config);
  try {
    return await storage.migrate(now());
  } finally {
    await storage.close();
  }
}
