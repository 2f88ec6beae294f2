import { test } from 'node:test';
import assert from 'node:assert/strict';
import { postgresSuite } from '../helpers/postgres-test-db.js';
import {
  DEFAULT_LOCK_TIMEOUT_MS,
  openDatabase,
  postgresTarget,
  statementTimeoutMs,
} from '../../src/adapters/postgres/open-database.js';
import { migrate, missingMigrations } from '../../src/adapters/postgres/migrate.js';
import { readMigrations } from '../../src/adapters/read-migrations.js';
import { migrateStorage, openStorage } from '../../src/server/open-storage.js';
import { WharfError } from '../../src/errors.js';
import { loadConfig } from '../../src/config/load-config.js';
import { inboxChannel, PostgresInbox } from '../../src/adapters/postgres/inbox.js';
import pgLib from 'pg';

await postgresSuite('PostgreSQL storage', (pg) => {
  test('DATABASE_URL ?schema= selects a schema and is not passed on to the server', () => {
    const t = postgresTarget('postgres://u@h:5432/db?schema=wharf_a&application_name=x');
    assert.equal(t.schema, 'wharf_a');
    assert.equal(t.connectionString, 'postgres://u@h:5432/db?application_name=x');
    assert.throws(() => postgresTarget('postgres://u@h/db?schema=a;drop'), /schema/);
  });

  test('a DATABASE_URL that does not parse is refused as DATABASE_URL_INVALID naming the variable, without echoing the password', () => {
    for (const bad of [
      'postgres://wharf:s3cret@db host/wharf',
      'postgres://wharf:s3cret@db:99999/wharf',
      'postgres://wharf:s3cret@db/wharf?schema=a;drop',
    ]) {
      assert.throws(
        () => loadConfig({ env: {}, envFile: false, overrides: { DATABASE_URL: bad } }),
        (err: unknown) =>
          err instanceof WharfError &&
          err.code === 'DATABASE_URL_INVALID' &&
          /DATABASE_URL/.test(err.message) &&
          !err.message.includes('s3cret'),
      );
    }
  });

  test('every session commits synchronously, even when the URL asks for synchronous_commit=off', async () => {
    const url = new URL(await pg.freshSchemaUrl());
    url.searchParams.set('options', '-c synchronous_commit=off -c work_mem=8MB');
    const db = openDatabase(url.toString(), { applicationName: 'wharf-test-session', max: 3 });
    try {
      const clients = await Promise.all([1, 2, 3].map(() => db.pool.connect()));
      for (const c of clients) {
        const r = await c.query<{ sc: string; wm: string; app: string; path: string }>(
          `SELECT current_setting('synchronous_commit') AS sc, current_setting('work_mem') AS wm,
                  current_setting('application_name') AS app, current_schema() AS path`,
        );
        assert.deepEqual(r.rows[0], { sc: 'on', wm: '8MB', app: 'wharf-test-session', path: db.schema });
      }
      for (const c of clients) c.release();
    } finally {
      await db.pool.end();
    }
  });

  test('processes migrating the same database at once apply each migration exactly once', async () => {
    const url = await pg.freshSchemaUrl();
    const dbs = Array.from({ length: 6 }, () => openDatabase(url, { max: 1 }));
    try {
      const applied = await Promise.all(dbs.map((db) => migrate(db, 1)));
      const versions = applied.flat().map((m) => m.version);
      assert.deepEqual(
        versions.sort((a, b) => a - b),
        readMigrations('postgres').map((m) => m.version),
      );
      const rows = await dbs[0]?.pool.query('SELECT version FROM schema_migrations');
      assert.equal(rows?.rowCount, readMigrations('postgres').length);
      assert.deepEqual(await missingMigrations(dbs[0] as (typeof dbs)[0]), []);
    } finally {
      await Promise.all(dbs.map((db) => db.pool.end()));
    }
  });

  test('wharf migrate on a postgres:// DATABASE_URL applies the PostgreSQL migrations once', async () => {
    const config = loadConfig({
      env: {},
      envFile: false,
      overrides: { DATABASE_URL: await pg.freshSchemaUrl() },
    });
    const all = readMigrations('postgres').map((m) => m.version);
    assert.deepEqual(await migrateStorage(config, () => 1), all);
    assert.deepEqual(await migrateStorage(config, () => 2), []);
  });

  test('a database that a newer release migrated is refused, naming the migrations this release does not know', async () => {
    const url = await pg.freshSchemaUrl();
    const config = loadConfig({ env: {}, envFile: false, overrides: { DATABASE_URL: url } });
    await migrateStorage(config, () => 1);
    const schema = new URL(url).searchParams.get('schema');
    await pg.admin.query(
      `INSERT INTO ${schema}.schema_migrations (version, name, applied_at) VALUES (9001, 'from_the_future', 2)`,
    );
    const newer = /newer release.*9001_from_the_future/s;
    await assert.rejects(
      migrateStorage(config, () => 3),
      newer,
    );
    const storage = openStorage(config);
    await assert.rejects(storage.migrate(3), newer);
    await storage.close();
    const secret = new URL(url);
    secret.password = 's3cret-pw';
    await assert.rejects(
      migrateStorage({ ...config, storage: { kind: 'postgres', url: secret.toString() } }, () => 3),
      (err: Error) => !err.message.includes('s3cret-pw'),
    );
  });

  test('every port of a process (inbox, processing store, read store, outbox) runs on one pool, named after the process', async () => {
    const config = loadConfig({
      env: {},
      envFile: false,
      overrides: { DATABASE_URL: await pg.freshSchemaUrl() },
    });
    const name = `pooltest${process.pid}`;
    const storage = openStorage(config, { operator: name });
    try {
      await storage.migrate(1);
      const off = storage.reads.onCommit(() => undefined);
      await Promise.all([
        storage.inbox.depth(),
        storage.outbox.depth(),
        storage.reads.lastEventId(),
        storage.processing.releaseLeases('nobody', ['1']),
      ]);
      const sessions = await pg.admin.query<{ app: string; n: number }>(
        `SELECT application_name AS app, count(*)::int AS n FROM pg_stat_activity
         WHERE application_name LIKE $1 GROUP BY application_name`,
        [`wharf-${name}%`],
      );
      // Before, the processing store and the outbox opened pools of their own (…-processing, …-outbox).
      assert.deepEqual(
        sessions.rows.map((r) => r.app),
        [`wharf-${name}`],
      );
      off();
    } finally {
      await storage.close();
    }
  });

  test('sessions run with the default lock and statement timeouts unless DATABASE_URL options change them', async () => {
    const url = new URL(await pg.freshSchemaUrl());
    const settings = async (u: string) => {
      const db = openDatabase(u, { max: 1 });
      try {
        const r = await db.pool.query<{ lt: string; st: string }>(
          `SELECT current_setting('lock_timeout') AS lt, current_setting('statement_timeout') AS st`,
        );
        return r.rows[0];
      } finally {
        await db.pool.end();
      }
    };
    assert.deepEqual(await settings(url.toString()), { lt: '5s', st: '30s' });
    url.searchParams.set('options', '-c statement_timeout=2min -c lock_timeout=0');
    assert.deepEqual(await settings(url.toString()), { lt: '0', st: '2min' });
    assert.equal(statementTimeoutMs(undefined), 30_000);
    assert.equal(statementTimeoutMs('-c statement_timeout=2min'), 120_000);
    assert.equal(statementTimeoutMs('--statement_timeout=1500 -c work_mem=8MB'), 1500);
    assert.equal(statementTimeoutMs('-c statement_timeout=0'), 0);
  });

  test(
    'wharf migrate waits for another process migrating the same schema past the lock timeout, and succeeds',
    { timeout: 30_000 },
    async () => {
      const url = await pg.freshSchemaUrl();
      const schema = new URL(url).searchParams.get('schema');
      const config = loadConfig({ env: {}, envFile: false, overrides: { DATABASE_URL: url } });
      const other = await pg.admin.connect();
      try {
        await other.query('BEGIN');
        await other.query("SELECT pg_advisory_xact_lock(hashtext('wharf.migrate:' || $1))", [schema]);
        const migrating = migrateStorage(config, () => 1);
        await new Promise((r) => setTimeout(r, DEFAULT_LOCK_TIMEOUT_MS + 1000));
        await other.query('COMMIT');
        assert.deepEqual(
          await migrating,
          readMigrations('postgres').map((m) => m.version),
        );
      } finally {
        await other.query('ROLLBACK').catch(() => undefined);
        other.release();
      }
    },
  );

  test('migrate creates the schema named in the URL when it does not exist yet', async () => {
    const url = new URL(await pg.freshSchemaUrl());
    const schema = `${url.searchParams.get('schema')}_new`;
    url.searchParams.set('schema', schema);
    const db = openDatabase(url.toString(), { max: 1 });
    try {
      await migrate(db, 1);
      const r = await pg.admin.query(`SELECT to_regclass('${schema}.deliveries')::text AS t`);
      assert.equal(r.rows[0].t, `${schema}.deliveries`);
    } finally {
      await db.pool.end();
      await pg.admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    }
  });

  test('a batch that stores a new delivery notifies listeners in other sessions; a batch of duplicates does not', async () => {
    const db = openDatabase(await pg.freshSchemaUrl());
    const listener = new pgLib.Client({ connectionString: pg.serverUrl });
    try {
      await migrate(db, 1);
      const inbox = new PostgresInbox(db);
      await listener.connect();
      const heard: string[] = [];
      listener.on('notification', (n) => heard.push(n.channel));
      await listener.query(`LISTEN "${inboxChannel(db)}"`);
      const body = { body: new Uint8Array([1, 2, 3]), receivedAt: 1, secretIndex: 0, requestId: 'r' };
      await inbox.appendBatch([body, { ...body, body: new Uint8Array([4]) }]);
      await inbox.appendBatch([body]);
      // A round trip on the listener's own connection flushes any notification already sent to it.
      await listener.query('SELECT 1');
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(heard, [inboxChannel(db)]);
    } finally {
      await listener.end();
      await db.pool.end();
    }
  });
});
