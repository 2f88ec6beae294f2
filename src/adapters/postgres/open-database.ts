import pg from 'pg';

export type PgPool = pg.Pool;

/** A pool plus the schema it works in (undefined: the server's default search_path). */
export interface PostgresDatabase {
  readonly pool: PgPool;
  readonly schema: string | undefined;
}

export interface OpenOptions {
  /** Shown in pg_stat_activity, so operators can tell ingress from worker connections. */
  readonly applicationName?: string;
  /** Pool size (connections per process). */
  readonly max?: number;
  /**
   * Longest wait for a row or table lock before a statement fails (the SQLite busy timeout's twin).
   * Given here it wins over the URL's `options`; otherwise DEFAULT_LOCK_TIMEOUT_MS, which they may change.
   */
  readonly lockTimeoutMs?: number;
  /**
   * No lock, statement or client-side timeout (migrations: one may rewrite a large table, and the
   * processes starting beside it wait on its advisory lock for as long as it takes).
   */
  readonly withoutTimeouts?: boolean;
  /** Longest wait for a new connection; without it an unreachable server would hang requests. */
  readonly connectTimeoutMs?: number;
}

export interface PostgresTarget {
  readonly connectionString: string;
  readonly schema: string | undefined;
  /** libpq `options` given in the URL (`-c name=value …`). */
  readonly sessionOptions: string | undefined;
}

/**
 * BIGINT (int8) columns come back as JS numbers, not strings: every one Wharf stores is an epoch-ms
 * time, a count or a generated id, all far below 2^53, and the ports speak numbers.
 */
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8_OID && format !== 'binary'
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Every session starts with these unless DATABASE_URL's `options` say otherwise, so a held lock or a
 * statement that never finishes turns into an error (503 + Retry-After, or a batch retried later)
 * instead of a request, a group commit or a worker that waits forever (docs/operations.md).
 */
export const DEFAULT_LOCK_TIMEOUT_MS = 5000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;
/**
 * The client gives up this long after the server would have cancelled the statement: past it no answer
 * is coming (a network path that drops packets sends no reset; TCP would wait ~15 minutes), and the
 * connection is discarded. A client-side timeout cannot cancel a statement, so it stays the backstop.
 */
const CLIENT_GRACE_MS = 2000;

/**
 * `postgres://…?schema=name` → the connection string without `schema`, and the schema. The
 * parameter is Wharf's own (not libpq's): it lets tests and shared servers give each deployment a
 * schema of its own without a database per deployment.
 */
export function postgresTarget(databaseUrl: string): PostgresTarget {
  // loadConfig checked that it parses (DATABASE_URL_INVALID, src/config/storage-location.ts).
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get('schema') ?? undefined;
  const sessionOptions = url.searchParams.get('options') ?? undefined;
  // pg lets a URL parameter win over the explicit config, so `options` is taken out here and
  // merged in openDatabase, where Wharf's own settings are appended last (and so win).
  url.searchParams.delete('schema');
  url.searchParams.delete('options');
  if (schema !== undefined && !IDENTIFIER.test(schema))
    throw new Error('DATABASE_URL: schema must be a lowercase identifier ([a-z_][a-z0-9_]*)');
  return { connectionString: url.toString(), schema, sessionOptions };
}

/**
 * Opens a pool whose every session runs with `synchronous_commit=on` (acknowledged
 * means durable). It is sent as a startup option, after any `options` from the URL, so neither a
 * role/database default nor the URL can turn it off, and it costs no extra round trip. The default
 * timeouts go before the URL's `options`, so an operator can change them there.
 */
export function openDatabase(databaseUrl: string, options: OpenOptions = {}): PostgresDatabase {
  const { connectionString, schema, sessionOptions } = postgresTarget(databaseUrl);
  const session = [
    `-c lock_timeout=${DEFAULT_LOCK_TIMEOUT_MS} -c statement_timeout=${DEFAULT_STATEMENT_TIMEOUT_MS}`,
    sessionOptions ?? '',
    options.withoutTimeouts ? '-c lock_timeout=0 -c statement_timeout=0' : '',
    '-c synchronous_commit=on',
    schema === undefined ? '' : `-c search_path=${schema}`,
    options.lockTimeoutMs === undefined ? '' : `-c lock_timeout=${Math.max(1, options.lockTimeoutMs)}`,
  ]
    .filter((s) => s !== '')
    .join(' ');
  const pool = new pg.Pool({
    connectionString,
    options: session,
    application_name: options.applicationName ?? 'wharf',
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    ...(options.withoutTimeouts ? {} : clientTimeout(statementTimeoutMs(sessionOptions))),
    keepAlive: true,
    types,
  });
  // An idle connection the server dropped (restart, pg_terminate_backend) is reported here; the
  // pool discards it and the next query opens a fresh one. Unhandled, it would crash the process.
  pool.on('error', () => undefined);
  // The pool listens only while a client is idle. A client checked out (a processing commit, a
  // conversation write, LISTEN) whose connection is lost mid-transaction rejects its statement and
  // then emits 'error' as well; with no listener that is an uncaught exception that ends the process.
  // The rejected statement already carries the fault (a StorageError once classified; the batch is
  // retried), and a client that lost its connection is not queryable, so the pool discards it on release.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return { pool, schema };
}

/**
 * The statement timeout a session runs with: the last `statement_timeout` in the URL's `options`
 * (`-c statement_timeout=10s` or `--statement_timeout=10000`), else the default. PostgreSQL reads a
 * bare number as milliseconds. Undefined when it cannot be read here (the server will judge it).
 */
export function statementTimeoutMs(sessionOptions: string | undefined): number | undefined {
  const given = [...(sessionOptions ?? '').matchAll(/(?:-c\s*|--)statement_timeout=(\S+)/g)].at(-1)?.[1];
  if (given === undefined) return DEFAULT_STATEMENT_TIMEOUT_MS;
  const m = /^(\d+)\s*(us|ms|s|min|h|d)?$/.exec(given);
  if (!m) return undefined;
  const unit = { us: 0.001, ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] ?? 'ms'] ?? 1;
  return Number(m[1]) * unit;
}

/** pg's client-side query_timeout: none when the statement timeout is off (0) or unknown. */
function clientTimeout(statementMs: number | undefined): { query_timeout?: number } {
  return statementMs === undefined || statementMs === 0
    ? {}
    : { query_timeout: statementMs + CLIENT_GRACE_MS };
}
