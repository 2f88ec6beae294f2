import type { WharfConfig } from '../config/load-config.js';
import type { ProcessingStore } from '../ports/processing-store.js';
import { sqlitePath } from '../adapters/sqlite/open-database.js';
import { ThreadedProcessingStore } from '../adapters/sqlite/threaded-processing-store.js';
import { PostgresProcessingStore } from '../adapters/postgres/processing-store.js';
import { isPostgresUrl } from './open-postgres-storage.js';

/**
 * The processing store for DATABASE_URL, or null where this build has no adapter for it. On
 * SQLite its writes run in a worker thread: a batch waiting for the write lock (held by the inbox
 * writer) or for its fsync must not hold up the webhook's 200 (docs/benchmarks.md, "End-to-end lag").
 * On PostgreSQL the work happens in the server and the event loop only waits on sockets.
 */
export function openProcessingStore(
  config: WharfConfig,
  options: { busyTimeoutMs?: number } = {},
): ProcessingStore | null {
  if (config.databaseUrl.startsWith('sqlite:'))
    return new ThreadedProcessingStore(sqlitePath(config.databaseUrl), options);
  if (isPostgresUrl(config.databaseUrl))
    return PostgresProcessingStore.open(config.databaseUrl, {
      applicationName: `wharf-${config.role}-processing`,
      ...(options.busyTimeoutMs === undefined ? {} : { lockTimeoutMs: options.busyTimeoutMs }),
    });
  return null;
}
