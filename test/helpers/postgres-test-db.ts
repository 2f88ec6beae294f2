import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A PostgreSQL server for one test file: fresh schemas on demand, all dropped when the file ends. */
export interface PostgresTestDb {
  /** WHARF_TEST_DATABASE_URL as given. */
  readonly serverUrl: string;
  /** Creates a new empty schema and returns a DATABASE_URL selecting it (`?schema=`). */
  freshSchemaUrl(): Promise<string>;
  /** An admin pool on the server (outside the test schemas) for inspection and fault injection. */
  readonly admin: pg.Pool;
}

const DEFAULT_HINT =
  'set WHARF_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres (scripts/run-tests.mjs defaults to it; .ci/run starts the server)';

/**
 * Registers a describe() block that runs against PostgreSQL. When the server is missing or
 * unreachable the block is skipped with a loud warning — unless WHARF_REQUIRE_POSTGRES=1 (CI), where
 * a failing test says why, so a skipped PostgreSQL suite can never pass CI.
 */
export async function postgresSuite(name: string, body: (db: PostgresTestDb) => void): Promise<void> {
  const serverUrl = process.env.WHARF_TEST_DATABASE_URL;
  const problem = serverUrl
    ? await unreachable(serverUrl)
    : `WHARF_TEST_DATABASE_URL is not set; ${DEFAULT_HINT}`;
  if (problem !== undefined || serverUrl === undefined) {
    const why = `PostgreSQL unavailable: ${problem}`;
    if (process.env.WHARF_REQUIRE_POSTGRES === '1') {
      test(`${name} — PostgreSQL is required here (WHARF_REQUIRE_POSTGRES=1)`, () => assert.fail(why));
      return;
    }
    console.warn(`\n!!! SKIPPING "${name}": ${why}\n`);
    describe(name, { skip: why }, () => undefined);
    return;
  }
  // lock_timeout: a test that leaves a lock behind makes the cleanup fail, never hang.
  const admin = new pg.Pool({
    connectionString: serverUrl,
    max: 2,
    application_name: 'wharf-test-admin',
    options: '-c lock_timeout=10000',
  });
  admin.on('error', () => undefined);
  // Unique per test file (and per run), so files running in parallel never share tables.
  const prefix = `wharf_test_${process.pid}_${randomBytes(3).toString('hex')}`;
  const schemas: string[] = [];
  const db: PostgresTestDb = {
    serverUrl,
    admin,
    async freshSchemaUrl() {
      const schema = `${prefix}_${schemas.length + 1}`;
      schemas.push(schema);
      await admin.query(`CREATE SCHEMA ${schema}`);
      const url = new URL(serverUrl);
      url.searchParams.set('schema', schema);
      return url.toString();
    },
  };
  describe(name, () => {
    after(async () => {
      for (const s of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
      await admin.end();
    });
    body(db);
  });
}

async function unreachable(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 15_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    return `${url.replace(/:[^:@/]*@/, ':***@')} — ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}
