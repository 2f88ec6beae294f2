import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../helpers/temp-dir.js';
import { readMigrations } from '../../src/adapters/read-migrations.js';

function wharf(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...args], {
    env: { ...process.env, WHARF_LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe('wharf migrate and wharf start', () => {
  test('wharf migrate applies every numbered SQLite migration once, then reports the database up to date', () => {
    const dir = tempDir();
    try {
      const env = { DATABASE_URL: `sqlite:${join(dir.path, 'nested', 'w.db')}` };
      const first = wharf(['migrate'], env);
      assert.equal(first.code, 0, first.out);
      const versions = readMigrations('sqlite').map((m) => m.version);
      assert.match(first.out, new RegExp(`applied migrations: ${versions.join(', ')}`));
      const db = new Database(join(dir.path, 'nested', 'w.db'), { readonly: true });
      const applied = (
        db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{
          version: number;
        }>
      ).map((r) => r.version);
      db.close();
      assert.deepEqual(applied, versions);
      const second = wharf(['migrate'], env);
      assert.equal(second.code, 0);
      assert.match(second.out, /database is up to date/);
    } finally {
      dir.cleanup();
    }
  });

  test('wharf start and wharf migrate refuse a database a newer release migrated, naming the unknown migration', () => {
    const dir = tempDir();
    try {
      const path = join(dir.path, 'w.db');
      const env = { DATABASE_URL: `sqlite:${path}`, PORT: '0' };
      assert.equal(wharf(['migrate'], env).code, 0);
      const db = new Database(path);
      db.prepare(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9001, 'from_the_future', 1)",
      ).run();
      db.close();
      for (const cmd of ['start', 'migrate']) {
        const r = wharf([cmd], env);
        assert.equal(r.code, 1, r.out);
        assert.match(r.out, /newer release of Wharf.*9001_from_the_future/s);
      }
    } finally {
      dir.cleanup();
    }
  });

  test('wharf migrate against a PostgreSQL server that is not there exits 1 saying which step failed and why', () => {
    // Port 9 (discard) on the loopback: nothing listens there, the connection is refused at once.
    const r = wharf(['migrate'], { DATABASE_URL: 'postgres://wharf@127.0.0.1:9/wharf' });
    assert.equal(r.code, 1, r.out);
    assert.match(
      r.out,
      /^wharf migrate: the migrations could not be applied to the database of DATABASE_URL: .*ECONNREFUSED/m,
    );
    assert.doesNotMatch(r.out, /postgres:\/\/wharf@/, 'DATABASE_URL may hold a password: never printed');
  });

  test('an invalid setting stops wharf start with a message naming it', () => {
    const r = wharf(['start'], { PORT: 'not-a-port' });
    assert.notEqual(r.code, 0);
    assert.match(r.out, /PORT/);
  });

  test('an unknown command is refused with usage help', () => {
    const r = wharf(['launch'], {});
    assert.notEqual(r.code, 0);
    assert.match(r.out, /unknown command/);
  });
});
