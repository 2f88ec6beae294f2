/**
 * Kind `mysql` (MySQL and MariaDB, with mysql2): one row per event in the table named by `table`,
 * created when missing with the columns of SINK_COLUMNS and a unique `event_key`. Rows are written in
 * batches (SinkBatcher) with `INSERT … ON DUPLICATE KEY UPDATE event_key = event_key`: a repeated event
 * (a retry, a replay, another worker) changes nothing. An existing table is checked once: missing
 * columns or no unique index on event_key fail the attempt with the reason.
 */
import { createPool, type Pool, type PoolOptions } from 'mysql2/promise';
import { SINK_COLUMNS, sinkTableProblem, type SinkRow } from '../../core/destinations/sink-row.js';
import type { DestinationTransport } from '../../ports/destination-transport.js';
import { urlSecrets } from './broker-attempt.js';
import { SinkTable } from './sink-table.js';
import { sinkTransport } from './sink-transport.js';

export interface MysqlTransportOptions {
  /** `mysql://user:password@host:3306/database` (`mariadb://` too). */
  readonly url: string;
  /** `events` or `database.events`. */
  readonly table: string;
  readonly timeoutMs: number;
  /** The destination's max_in_flight: at most this many events are waiting, so at most this many per statement. */
  readonly maxInFlight: number;
}

/** mysql2 error codes, in plain words. */
const MYSQL_CODES: Readonly<Record<string, string>> = {
  ER_ACCESS_DENIED_ERROR: 'the server refused the user name or password in the url',
  ER_BAD_DB_ERROR: 'the database named in the url does not exist',
  ER_DBACCESS_DENIED_ERROR: 'the user in the url may not use that database',
  ER_TABLEACCESS_DENIED_ERROR: 'the user in the url may not create or write that table',
  ER_NO_DB_ERROR: 'the url names no database (mysql://user:password@host:3306/database)',
};

/** Errors about one row's values: its statement is written again row by row. */
const ROW_ERRNOS = new Set([1048, 1264, 1292, 1366, 1406, 3140, 4025]);

const quote = (table: string) =>
  table
    .split('.')
    .map((p) => `\`${p}\``)
    .join('.');

function poolOptions(url: string, timeoutMs: number): PoolOptions {
  const u = new URL(url);
  if (u.protocol === 'mariadb:') u.protocol = 'mysql:';
  return {
    uri: u.toString(),
    connectionLimit: 2,
    connectTimeout: timeoutMs,
    timezone: 'Z',
    charset: 'utf8mb4',
    // affectedRows counts rows written, not rows matched: a repeated key counts 0.
    flags: ['-FOUND_ROWS'],
  };
}

/**
 * A text value as an SQL literal: its UTF-8 bytes in hex with the utf8mb4 introducer. Nothing in it
 * needs escaping whatever the server's sql_mode (NO_BACKSLASH_ESCAPES included), and hex encoding is
 * native: many times cheaper than escaping JSON character by character (mysql2's placeholders), which
 * was the largest cost of a busy sink.
 */
const text = (v: string | null) =>
  v === null ? 'NULL' : `_utf8mb4 X'${Buffer.from(v, 'utf8').toString('hex')}'`;

/** Epoch ms as a DATETIME(3) literal in UTC (only digits, '-', ':', '.' and a space). */
const datetime = (ms: number | null) =>
  ms === null ? 'NULL' : `'${new Date(ms).toISOString().replace('T', ' ').replace('Z', '')}'`;

function values(r: SinkRow): string {
  return `(${[
    text(r.eventId),
    text(r.name),
    text(r.eventKey),
    datetime(r.occurredAt),
    text(r.wabaId),
    text(r.phoneNumberId),
    text(r.wamid),
    text(r.contactWaId),
    text(r.contactUserId),
    text(r.data),
    text(r.raw),
  ].join(', ')})`;
}

const createTable = (name: string) => `CREATE TABLE IF NOT EXISTS ${name} (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id VARCHAR(32) NULL,
  name VARCHAR(100) NOT NULL,
  event_key VARCHAR(512) NOT NULL,
  occurred_at DATETIME(3) NULL,
  waba_id VARCHAR(64) NOT NULL,
  phone_number_id VARCHAR(64) NULL,
  wamid VARCHAR(255) NULL,
  contact_wa_id VARCHAR(64) NULL,
  contact_user_id VARCHAR(255) NULL,
  data JSON NOT NULL,
  raw JSON NOT NULL,
  UNIQUE KEY event_key_unique (event_key),
  KEY occurred_at_index (occurred_at),
  KEY contact_wa_id_index (contact_wa_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`;

export function createMysqlTransport(o: MysqlTransportOptions): DestinationTransport {
  let pool: Pool | null = null;
  const open = () => (pool ??= createPool(poolOptions(o.url, o.timeoutMs)));
  const name = quote(o.table);
  const [schemaPart, tablePart] = o.table.includes('.') ? o.table.split('.') : [null, o.table];
  const secrets = urlSecrets(o.url);

  const table = new SinkTable(async () => {
    const p = open();
    await p.query({ sql: createTable(name), timeout: o.timeoutMs });
    const [cols] = await p.query(
      `SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS
       WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?`,
      [schemaPart, tablePart],
    );
    const [unique] = await p.query(
      `SELECT INDEX_NAME FROM information_schema.STATISTICS
       WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? AND NON_UNIQUE = 0
       GROUP BY INDEX_NAME HAVING COUNT(*) = 1 AND MAX(COLUMN_NAME) = 'event_key'`,
      [schemaPart, tablePart],
    );
    const columns = (cols as Array<{ c: string }>).map((r) => r.c);
    return sinkTableProblem(o.table, columns, (unique as unknown[]).length > 0);
  });

  const insert = (rows: readonly SinkRow[]) => ({
    sql: `INSERT INTO ${name} (${SINK_COLUMNS.join(', ')}) VALUES ${rows.map(values).join(', ')}
      ON DUPLICATE KEY UPDATE event_key = event_key`,
    timeout: o.timeoutMs,
  });

  return sinkTransport({
    table: o.table,
    timeoutMs: o.timeoutMs,
    secrets,
    codes: MYSQL_CODES,
    errorName: 'MysqlSinkError',
    maxRows: Math.max(1, o.maxInFlight),
    async insert(rows) {
      const [result] = await open().query(insert(rows));
      return (result as { affectedRows: number }).affectedRows;
    },
    isMissingTable: (err) => (err as { code?: unknown } | null)?.code === 'ER_NO_SUCH_TABLE',
    isDeadlock: (err) => (err as { errno?: unknown } | null)?.errno === 1213,
    isRowError: (err) => {
      const e = err as { fatal?: boolean; errno?: number } | null;
      return e?.fatal !== true && typeof e?.errno === 'number' && ROW_ERRNOS.has(e.errno);
    },
    sinkTable: table,
    async writeRolledBack(row) {
      const connection = await open().getConnection();
      try {
        await connection.beginTransaction();
        await connection.query(insert([row]));
      } finally {
        await connection.rollback().catch(() => undefined);
        connection.release();
      }
    },
    async close() {
      if (pool) await pool.end().catch(() => undefined);
      pool = null;
    },
  });
}
