/**
 * PostgreSQL conversation store: the logic shared with SQLite (../conversation-reads.ts) over the
 * process's pool; a PATCH's statements run in one transaction.
 */
import type { ConversationStore } from '../../ports/conversation-store.js';
import { ConversationReads } from '../conversation-reads.js';
import type { Row, SqlRunner } from '../conversation-rows.js';
import type { PostgresDatabase } from './open-database.js';
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
  constructor(database: PostgresDatabase) {
    super(runner(database));
  }

  /** The pool is the process's, closed with the rest of storage. */
  async close(): Promise<void> {}
}
