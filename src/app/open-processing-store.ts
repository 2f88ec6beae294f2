import type { WharfConfig } from '../config/load-config.js';
import type { ProcessingStore } from '../ports/processing-store.js';
import { sqlitePath } from '../adapters/sqlite/open-database.js';
import { SqliteProcessingStore } from '../adapters/sqlite/processing-store.js';

/** The processing store for DATABASE_URL, or null where this build has no adapter for it yet. */
export function openProcessingStore(
  config: WharfConfig,
  options: { busyTimeoutMs?: number } = {},
): ProcessingStore | null {
  if (!config.databaseUrl.startsWith('sqlite:')) return null;
  return new SqliteProcessingStore(sqlitePath(config.databaseUrl), options);
}
