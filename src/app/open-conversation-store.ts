import type { WharfConfig } from '../config/load-config.js';
import type { ConversationStore } from '../ports/conversation-store.js';
import { sqlitePath } from '../adapters/sqlite/open-database.js';
import { SqliteConversationStore } from '../adapters/sqlite/conversation-store.js';
import { PostgresConversationStore } from '../adapters/postgres/conversation-store.js';
import { isPostgresUrl } from './open-postgres-storage.js';

/** The conversation store for DATABASE_URL, or null where this build has no adapter for it. */
export function openConversationStore(
  config: WharfConfig,
  options: { busyTimeoutMs?: number } = {},
): ConversationStore | null {
  if (config.databaseUrl.startsWith('sqlite:'))
    return new SqliteConversationStore(sqlitePath(config.databaseUrl), options);
  if (isPostgresUrl(config.databaseUrl))
    return PostgresConversationStore.open(config.databaseUrl, {
      applicationName: `wharf-${config.role}-conversations`,
    });
  return null;
}
