/** PostgreSQL action store (src/ports/action-store.ts) on the process's pool; the SQL is shared (../action-rows.ts). */
import type { ActionStore } from '../../ports/action-store.js';
import { ActionRows } from '../action-rows.js';
import type { Row } from '../state-views.js';
import type { PostgresDatabase } from './open-database.js';
import { classify } from './storage-error.js';

export class PostgresActionStore extends ActionRows implements ActionStore {
  constructor(database: PostgresDatabase) {
    super({
      async rows(sql, params) {
        try {
          return (await database.pool.query<Row>(sql, [...params])).rows;
        } catch (err) {
          throw classify('action store', err);
        }
      },
    });
  }

  /** The pool is the process's, closed with the rest of storage. */
  async close(): Promise<void> {}
}
