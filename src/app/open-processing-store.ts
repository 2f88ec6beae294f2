import type { WharfConfig } from '../config/load-config.js';
import type { ProcessingStore } from '../ports/processing-store.js';
import { sqlitePath } from '../adapters/sqlite/open-database.js';
import { ThreadedProcessingStore } from '../adapters/sqlite/threaded-processing-store.js';

/**
 * The processing store for DATABASE_URL, or null where this build has no adapter for it yet. On
 * SQLite its writes run in a worker thread: a batch waiting for the write lock (held by the inbox
 * writer) or for its fsync must not hold up the webhook's 200 (docs/benchmarks.md, "End-to-end lag").
 */
export function openProcessingStore(
  config: WharfConfig,
  options: { busyTimeoutMs?: number } = {},
): ProcessingStore | null {
  if (!config.databaseUrl.startsWith('sqlite:')) return null;
  return new ThreadedProcessingStore(sqlitePath(config.databaseUrl), options);
}
