/**
 * SQLite conversation store: its own connection to the database file (WAL: reads never wait for the
 * processor's commits; a PATCH waits for the write lock up to the busy timeout). The logic is shared
 * with PostgreSQL (../conversation-reads.ts).
 */
import type { ConversationStore } from '../../ports/conversation-store.js';
import { ConversationReads } from '../conversation-reads.js';
import type { Row, SqlRunner, Value } from '../conversation-rows.js';
import { openDatabase, type SqliteDatabase } from './open-database.js';
import { transientSqlite } from './transient-sqlite.js';

const wrap = <T>(fn: () => T): T => transientSqlite('conversation store', fn);

/** `$1 … $n` (each once, in order) → `?`. */
const positional = (sql: string): string => sql.replace(/\$\d+/g, '?');

function runner(db: SqliteDatabase): SqlRunner {
  const statements = new Map<string, ReturnType<SqliteDatabase['prepare']>>();
  const prepared = (sql: string) => {
    let st = statements.get(sql);
    if (st === undefined) {
      st = db.prepare(positional(sql));
      // Bounded: IN lists vary in length with the number of a person's keys.
      if (statements.size > 500) statements.clear();
      statements.set(sql, st);
    }
    return st;
  };
  const tx = db.transaction((list: ReadonlyArray<readonly [string, readonly Value[]]>) => {
    for (const [sql, params] of list) prepared(sql).run([...params]);
  });
  return {
    rows: async (sql, params) => wrap(() => prepared(sql).all([...params]) as Row[]),
    write: async (list) => wrap(() => tx.immediate(list)),
  };
}

export class SqliteConversationStore extends ConversationReads implements ConversationStore {
  private readonly connection: SqliteDatabase;

  constructor(path: string, options: { busyTimeoutMs?: number } = {}) {
    const connection = openDatabase(path, { busyTimeoutMs: options.busyTimeoutMs ?? 5000 });
    super(runner(connection));
    this.connection = connection;
  }

  async close(): Promise<void> {
    this.connection.close();
  }
}
