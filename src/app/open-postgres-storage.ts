import type { WharfConfig } from '../config/load-config.js';
import type { Storage, OpenStorageOptions } from './open-storage.js';
import { openDatabase } from '../adapters/postgres/open-database.js';
import { migrate } from '../adapters/postgres/migrate.js';
import { PostgresInbox } from '../adapters/postgres/inbox.js';

export function isPostgresUrl(databaseUrl: string): boolean {
  return /^postgres(ql)?:\/\//.test(databaseUrl);
}

/** `wharf migrate` on PostgreSQL: a short-lived pool, safe to run from many processes at once. */
export async function migratePostgres(config: WharfConfig, now: () => number): Promise<number[]> {
  const db = openDatabase(config.databaseUrl, {
    applicationName: 'wharf-migrate',
    max: 1,
    withoutTimeouts: true,
  });
  try {
    return (await migrate(db, now())).map((m) => m.version);
  } finally {
    await db.pool.end();
  }
}

/** One pool per process, shared by every PostgreSQL port; the application name carries the role. */
export async function openPostgresStorage(
  config: WharfConfig,
  options: OpenStorageOptions,
): Promise<Storage> {
  if (options.migrate) await migratePostgres(config, options.now);
  const db = openDatabase(config.databaseUrl, {
    applicationName: `wharf-${config.role}`,
    ...(options.busyTimeoutMs === undefined ? {} : { lockTimeoutMs: options.busyTimeoutMs }),
  });
  const inbox = new PostgresInbox(db);
  return {
    kind: 'postgres',
    inbox,
    close: async () => {
      await inbox.close();
      await db.pool.end();
    },
  };
}
