import type { WharfConfig } from '../config/load-config.js';
import type { Retention } from '../ports/retention.js';
import { sqlitePath } from '../adapters/sqlite/open-database.js';
import { SqliteRetention } from '../adapters/sqlite/retention.js';
import { PostgresRetention } from '../adapters/postgres/retention.js';
import { isPostgresUrl } from './open-postgres-storage.js';

/**
 * The retention adapter for DATABASE_URL. `operator`: `wharf prune`, run by hand, has no timeouts
 * (a person can interrupt it) and no background checkpointer beside it on SQLite.
 */
export function openRetention(config: WharfConfig, use: { operator?: boolean } = {}): Retention {
  if (config.databaseUrl.startsWith('sqlite:'))
    return new SqliteRetention(sqlitePath(config.databaseUrl), {
      backgroundCheckpoints: use.operator !== true,
    });
  if (isPostgresUrl(config.databaseUrl))
    return PostgresRetention.open(config.databaseUrl, {
      applicationName: use.operator ? 'wharf-prune' : `wharf-${config.role}-retention`,
      ...(use.operator ? { withoutTimeouts: true } : {}),
    });
  throw new Error('DATABASE_URL must be sqlite:<path> or postgres://…');
}
