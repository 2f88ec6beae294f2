/**
 * Kind `postgres` (with pg): one row per event in the table named by `table`, created when missing
 * with the columns of SINK_COLUMNS and a unique `event_key`. Rows are written in batches
 * (SinkBatcher), one `INSERT … SELECT FROM unnest(…) ON CONFLICT (event_key) DO NOTHING` each: a
 * repeated event (a retry, a replay, another worker) changes nothing. An existing table is checked
 * once: missing columns or no unique index on event_key fail the attempt with the reason.
 */
import pg from 'pg';
import { SINK_COLUMNS, sinkTableProblem, type SinkRow } from '../../core/destinations/sink-row.js';
import type { DestinationTransport } from '../../ports/destination-transport.js';
import { urlSecrets } from './broker-attempt.js';
import { SinkTable } from './sink-table.js';
import { sinkTransport } from './sink-transport.js';

export interface PostgresTransportOptions {
  /** `postgres://user:password@host:5432/database`. */
  readonly url: string;
  /** `events` or `schema.events`. */
  readonly table: string;
  readonly timeoutMs: number;
  /** The destination's max_in_flight: at most this many events are waiting, so at most this many per statement. */
  readonly maxInFlight: number;
}

/** SQLSTATE codes, in plain words. */
const PG_CODES: Readonly<Record<string, string>> = {
  '28P01': 'the server refused the user name or password in the url',
  '28000': 'the server does not let this user connect from here (pg_hba.conf)',
  '3D000': 'the database named in the url does not exist',
  '3F000': 'the schema named in "table" does not exist',
  '42501': 'the user in the url may not create or write that table',
};

const quote = (table: string) =>
  table
    .split('.')
    .map((p) => `"${p}"`)
    .join('.');

const createTable = (name: string) => `CREATE TABLE IF NOT EXISTS ${name} (
  id BIGSERIAL PRIMARY KEY,
  event_id TEXT NULL,
  name TEXT NOT NULL,
  event_key TEXT NOT NULL UNIQUE,
  occurred_at TIMESTAMPTZ NULL,
  waba_id TEXT NOT NULL,
  phone_number_id TEXT NULL,
  wamid TEXT NULL,
  contact_wa_id TEXT NULL,
  contact_user_id TEXT NULL,
  data JSONB NOT NULL,
  raw JSONB NOT NULL
)`;

const TYPES = [
  'text',
  'text',
  'text',
  'timestamptz',
  'text',
  'text',
  'text',
  'text',
  'text',
  'jsonb',
  'jsonb',
];

function columnsOf(rows: readonly SinkRow[]): unknown[][] {
  const at = (r: SinkRow) => (r.occurredAt === null ? null : new Date(r.occurredAt).toISOString());
  return [
    rows.map((r) => r.eventId),
    rows.map((r) => r.name),
    rows.map((r) => r.eventKey),
    rows.map(at),
    rows.map((r) => r.wabaId),
    rows.map((r) => r.phoneNumberId),
    rows.map((r) => r.wamid),
    rows.map((r) => r.contactWaId),
    rows.map((r) => r.contactUserId),
    rows.map((r) => r.data),
    rows.map((r) => r.raw),
  ];
}

export function createPostgresTransport(o: PostgresTransportOptions): DestinationTransport {
  let pool: pg.Pool | null = null;
  const open = () => {
    if (pool) return pool;
    pool = new pg.Pool({
      connectionString: o.url,
      max: 2,
      connectionTimeoutMillis: o.timeoutMs,
      query_timeout: o.timeoutMs,
      application_name: 'wharf-destination',
    });
    pool.on('error', () => undefined); // an idle client's error: the next query reports it
    return pool;
  };
  const name = quote(o.table);
  const [schemaPart, tablePart] = o.table.includes('.') ? o.table.split('.') : [null, o.table];
  const secrets = urlSecrets(o.url);

  const table = new SinkTable(async () => {
    const p = open();
    try {
      await p.query(createTable(name));
    } catch (err) {
      // Two workers creating it at once: one wins, the other sees it made (then checks it as usual).
      const code = (err as { code?: string }).code;
      if (code !== '23505' && code !== '42P07') throw err;
    }
    const cols = await p.query<{ c: string }>(
      `SELECT column_name AS c FROM information_schema.columns
       WHERE table_schema = COALESCE($1, current_schema()) AND table_name = $2`,
      [schemaPart, tablePart],
    );
    const unique = await p.query(
      `SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
       WHERE i.indrelid = to_regclass($1) AND i.indisunique AND i.indnatts = 1 AND i.indpred IS NULL
         AND a.attname = 'event_key'`,
      [name],
    );
    return sinkTableProblem(
      o.table,
      cols.rows.map((r) => r.c),
      (unique.rowCount ?? 0) > 0,
    );
  });

  const insertSql = `INSERT INTO ${name} (${SINK_COLUMNS.join(', ')})
    SELECT * FROM unnest(${TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})
    ON CONFLICT (event_key) DO NOTHING`;

  return sinkTransport({
    table: o.table,
    timeoutMs: o.timeoutMs,
    secrets,
    codes: PG_CODES,
    errorName: 'PostgresSinkError',
    maxRows: Math.max(1, o.maxInFlight),
    async insert(rows) {
      const result = await open().query(insertSql, columnsOf(rows));
      return result.rowCount ?? 0;
    },
    isMissingTable: (err) => (err as { code?: unknown } | null)?.code === '42P01',
    isDeadlock: (err) => (err as { code?: unknown } | null)?.code === '40P01',
    // Class 22: data exception (a value the column cannot take); the statement is redone row by row.
    isRowError: (err) => /^22/.test(String((err as { code?: unknown } | null)?.code ?? '')),
    sinkTable: table,
    async writeRolledBack(row) {
      const client = await open().connect();
      try {
        await client.query('BEGIN');
        await client.query(insertSql, columnsOf([row]));
      } finally {
        await client.query('ROLLBACK').catch(() => undefined);
        client.release();
      }
    },
    async close() {
      if (pool) await pool.end().catch(() => undefined);
      pool = null;
    },
  });
}
