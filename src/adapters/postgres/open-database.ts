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
  /** Longest wait for a row or table lock before a statement fails (the SQLite busy timeout's twin). */
  readonly lockTimeoutMs?: number;
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
 * `postgres://…?schema=name` → the connection string without `schema`, and the schema. The
 * parameter is Wharf's own (not libpq's): it lets tests and shared servers give each deployment a
 * schema of its own without a database per deployment.
 */
export function postgresTarget(databaseUrl: string): PostgresTarget {
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) throw new Error('not a postgres URL');
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
 * Opens a pool whose every session runs with `synchronous_commit=on` (design §6: acknowledged
 * means durable). It is sent as a startup option, after any `options` from the URL, so neither a
 * role/database default nor the URL can turn it off, and it costs no extra round trip.
 */
export function openDatabase(databaseUrl: string, options: OpenOptions = {}): PostgresDatabase {
  const { connectionString, schema, sessionOptions } = postgresTarget(databaseUrl);
  const session = [
    sessionOptions ?? '',
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
    keepAlive: true,
    types,
  });
  // An idle connection the server dropped (restart, pg_terminate_backend) is reported here; the
  // pool discards it and the next query opens a fresh one. Unhandled, it would crash the process.
  pool.on('error', () => undefined);
  return { pool, schema };
}
