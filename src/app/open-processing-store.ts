import type { WharfConfig } from '../config/load-config.js';
import type { ProcessingStore } from '../ports/processing-store.js';
import { sqlitePath } from '../adapters/sqlite/open-database.js';
import { ThreadedProcessingStore } from '../adapters/sqlite/threaded-processing-store.js';
import { SqliteProcessingStore } from '../adapters/sqlite/processing-store.js';
import { PostgresProcessingStore } from '../adapters/postgres/processing-store.js';
import { isPostgresUrl } from './open-postgres-storage.js';

/**
 * The processing store for DATABASE_URL, or null where this build has no adapter for it. On
 * SQLite, in a process that takes webhooks (role `all`), its writes run in a worker thread: a batch
 * waiting for the write lock (held by the inbox writer) or for its fsync must not hold up the
 * webhook's 200 (docs/benchmarks.md, "End-to-end lag"). A `worker` process has no 200 to protect,
 * and handing every batch to a thread costs about a quarter of its throughput
 * (docs/benchmarks.md, "Processing"), so it writes on its own thread.
 * On PostgreSQL the work happens in the server and the event loop only waits on sockets.
 */
export function openProcessingStore(
  config: WharfConfig,
  options: { busyTimeoutMs?: number } = {},
): ProcessingStore | null {
  if (config.databaseUrl.startsWith('sqlite:')) {
    const path = sqlitePath(config.databaseUrl);
    return config.role === 'worker'
      ? new SqliteProcessingStore(path, { ...options, backgroundCheckpoints: true })
      : new ThreadedProcessingStore(path, options);
  }
  if (isPostgresUrl(config.databaseUrl))
    return PostgresProcessingStore.open(config.databaseUrl, {
      applicationName: `wharf-${config.role}-processing`,
      ...(options.busyTimeoutMs === undefined ? {} : { lockTimeoutMs: options.busyTimeoutMs }),
    });
  return null;
}
