/**
 * PostgreSQL conversation store: the logic shared with SQLite (../conversation-reads.ts) over a
 * pool; a PATCH's statements run in one transaction.
 */
import type { ConversationStore } from '../../ports/conversation-store.js';
import { ConversationReads } from '../conversation-reads.js';
import type { Row, SqlRunner } from '../conversation-rows.js';
import { openDatabase, type OpenOptions, type PostgresDatabase } from './open-database.js';
import { classify } from './storage-error.js';

function runner(db: PostgresDatabase): SqlRunner {
  return {
    async rows(sql, params) {
      try {
        return (await db.pool.query<Row>(sql, [...params])).rows;
      } catch (err) {
        throw classify('conversation read failed', err);
      }
    },
    async write(list) {
      const client = await db.pool.connect().catch((err: unknown) => {
        throw classify('conversation write failed', err);
      });
      try {
        await client.query('BEGIN');
        for (const [sql, params] of list) await client.query(sql, [...params]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw classify('conversation write failed', err);
      } finally {
        client.release();
      }
    },
  };
}

export class PostgresConversationStore extends ConversationReads implements ConversationStore {
  /** `ownsPool`: close() ends the pool (a store opened by `open`). */
  constructor(
    private readonly database: PostgresDatabase,
    private readonly ownsPool = false,
  ) {
    super(runner(database));
  }

  static open(databaseUrl: string, options: OpenOptions = {}): PostgresConversationStore {
    return new PostgresConversationStore(openDatabase(databaseUrl, { max: 2, ...options }), true);
  }

  async close(): Promise<void> {
    if (this.ownsPool) await this.database.pool.end();
  }
}
