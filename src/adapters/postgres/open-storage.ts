/**
 * Every PostgreSQL port of one database, opened on first use (src/ports/storage.ts), all on ONE pool
 * per process: its application_name says which process it is (`wharf-<role>`, or `wharf-<operator>`
 * for a command run by hand), so pg_stat_activity tells ingress from worker sessions.
 */
import type { Storage, StorageOptions } from '../../ports/storage.js';
import { openDatabase, type PostgresDatabase } from './open-database.js';
import { migrate } from './migrate.js';
import { PostgresInbox } from './inbox.js';
import { PostgresOutbox } from './outbox.js';
import { PostgresProcessingStore } from './processing-store.js';
import { PostgresReadStore } from './read-store.js';
import { PostgresRetention } from './retention.js';
import { PostgresDestinationStore } from './destination-store.js';
import { PostgresConversationStore } from './conversation-store.js';
import { PostgresActionStore } from './action-store.js';
import { PostgresSendStore } from './send-store.js';
import { lazyPorts } from '../lazy-ports.js';
import { storageOnPorts, type StoragePorts } from '../storage-on-ports.js';

/**
 * Connections per process. The inbox's group commits, the processor's batches, the dispatcher's
 * claims and the API's reads each hold one while they run, and the two LISTEN connections (new
 * deliveries, commit notices) hold one each for good: the three pools this one replaced had
 * 10 + 4 + 4.
 */
const POOL_SIZE = 18;

export function openStorage(url: string, options: StorageOptions): Storage {
  let pool: PostgresDatabase | undefined;
  const database = () =>
    (pool ??= openDatabase(url, {
      applicationName: `wharf-${options.operator ?? options.role}`,
      max: POOL_SIZE,
      ...(options.operator === undefined ? {} : { withoutTimeouts: true }),
      ...(options.busyTimeoutMs === undefined ? {} : { lockTimeoutMs: options.busyTimeoutMs }),
    }));
  const ports = lazyPorts<StoragePorts>({
    inbox: () => new PostgresInbox(database()),
    outbox: () => new PostgresOutbox(database()),
    processing: () => new PostgresProcessingStore(database()),
    reads: () => new PostgresReadStore(database()),
    retention: () => new PostgresRetention(database()),
    destinations: () => new PostgresDestinationStore(database()),
    conversations: () => new PostgresConversationStore(database()),
    actions: () => new PostgresActionStore(database()),
    sends: () => new PostgresSendStore(database()),
  });
  return storageOnPorts(ports, {
    label: 'PostgreSQL',
    absentFile: () => null,
    migrate: (now) => migrateOnce(url, now),
    async close() {
      await ports.closeAll();
      await pool?.pool.end();
    },
  });
}

/**
 * A short-lived pool of one connection without timeouts: a migration may rewrite a large table, and
 * the processes starting beside it wait on its advisory lock for as long as it takes.
 */
async function migrateOnce(url: string, now: number): Promise<number[]> {
  const db = openDatabase(url, { applicationName: 'wharf-migrate', max: 1, withoutTimeouts: true });
  try {
    return (await migrate(db, now)).map((m) => m.version);
  } finally {
    await db.pool.end();
  }
}
