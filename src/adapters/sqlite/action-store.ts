/** SQLite action store (src/ports/action-store.ts): its own connection; the SQL is shared (../action-rows.ts). */
import type { ActionStore } from '../../ports/action-store.js';
import { ActionRows } from '../action-rows.js';
import type { Row } from '../state-views.js';
import { openDatabase, type SqliteDatabase } from './open-database.js';
import { transientSqlite } from './transient-sqlite.js';

export class SqliteActionStore extends ActionRows implements ActionStore {
  private readonly connection: SqliteDatabase;

  constructor(path: string, options: { busyTimeoutMs?: number } = {}) {
    const connection = openDatabase(path, { busyTimeoutMs: options.busyTimeoutMs ?? 5000 });
    const statements = new Map<string, ReturnType<SqliteDatabase['prepare']>>();
    super({
      rows: async (sql, params) => {
        return transientSqlite('action store', () => {
          let st = statements.get(sql);
          if (st === undefined) {
            st = connection.prepare(sql.replace(/\$\d+/g, '?'));
            statements.set(sql, st);
          }
          return st.all([...params]) as Row[];
        });
      },
    });
    this.connection = connection;
  }

  async close(): Promise<void> {
    this.connection.close();
  }
}
