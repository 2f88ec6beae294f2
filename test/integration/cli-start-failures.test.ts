/**
 * `wharf start` when it cannot start: each failure names the setting to check and what to check in
 * it, with its catalogue code, never the password of DATABASE_URL, and exits 1 (no bare Node error,
 * no process left hanging on what it had opened).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { tempDir } from '../helpers/temp-dir.js';
import { postgresSuite } from '../helpers/postgres-test-db.js';

function start(env: Record<string, string>) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'start'], {
    env: { ...process.env, WHARF_LOG_LEVEL: 'error', PORT: '0', HOST: '127.0.0.1', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

function withSqlite<T>(fn: (databaseUrl: string) => T): T {
  const dir = tempDir();
  try {
    return fn(`sqlite:${join(dir.path, 'w.db')}`);
  } finally {
    dir.cleanup();
  }
}

// First: its reachability check must not wait behind the blocking spawnSync of the tests below.
await postgresSuite('wharf start refused by PostgreSQL', (pg) => {
  test('an unknown role or database: exit 1, DATABASE_REFUSED naming which and DATABASE_URL, no password', () => {
    const role = new URL(pg.serverUrl);
    role.username = 'no_such_role_wharf';
    role.password = 's3cret-pw';
    const database = new URL(pg.serverUrl);
    database.pathname = '/no_such_database_wharf';
    for (const [url, named] of [
      [role, 'role "no_such_role_wharf"'],
      [database, 'database "no_such_database_wharf"'],
    ] as const) {
      const r = start({ DATABASE_URL: url.toString() });
      assert.equal(r.code, 1, r.out);
      assert.match(
        r.out,
        new RegExp(
          `^wharf start: The database server of DATABASE_URL refused the connection: .*${named}.*Check the user name, password and database name in DATABASE_URL \\(DATABASE_REFUSED, see docs/errors\\.md#database-refused\\)$`,
          'm',
        ),
      );
      assert.doesNotMatch(r.out, /s3cret-pw/);
    }
  });
});

describe('wharf start that cannot start', () => {
  test('a PostgreSQL server that is not there: exit 1, DATABASE_UNREACHABLE naming DATABASE_URL and its host and port, no password', () => {
    // Port 9 (discard) on the loopback: nothing listens there, the connection is refused at once.
    const r = start({ DATABASE_URL: 'postgres://wharf:s3cret-pw@127.0.0.1:9/wharf' });
    assert.equal(r.code, 1, r.out);
    assert.match(
      r.out,
      /^wharf start: The database of DATABASE_URL cannot be reached: connect ECONNREFUSED 127\.0\.0\.1:9\. Check the host and port in DATABASE_URL .*\(DATABASE_UNREACHABLE, see docs\/errors\.md#database-unreachable\)$/m,
    );
    assert.doesNotMatch(r.out, /s3cret-pw|postgres:\/\/wharf/);
    assert.doesNotMatch(r.out, /^\s+at /m, 'no stack trace');
  });

  test('a SQLite path whose directory cannot be created: exit 1, DATABASE_UNREACHABLE naming the path in DATABASE_URL', () => {
    const dir = tempDir();
    try {
      const file = join(dir.path, 'a-file');
      writeFileSync(file, '');
      const r = start({ DATABASE_URL: `sqlite:${join(file, 'w.db')}` });
      assert.equal(r.code, 1, r.out);
      assert.match(
        r.out,
        /^wharf start: The database of DATABASE_URL cannot be reached: .*Check the file path in DATABASE_URL \(.*a-file\/w\.db\).*\(DATABASE_UNREACHABLE/m,
      );
    } finally {
      dir.cleanup();
    }
  });

  test('a port another process listens on: exit 1, PORT_IN_USE naming PORT and what to do', async () => {
    const other = createServer();
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const { port } = other.address() as AddressInfo;
    try {
      const r = withSqlite((url) => start({ DATABASE_URL: url, PORT: String(port) }));
      assert.equal(r.code, 1, r.out);
      assert.match(
        r.out,
        new RegExp(
          `^wharf start: The listen port \\(PORT\\) is in use: listen EADDRINUSE.*Another process listens on PORT ${port} of 127\\.0\\.0\\.1: stop it, or set another PORT \\(wharf start --port\\) \\(PORT_IN_USE, see docs/errors\\.md#port-in-use\\)$`,
          'm',
        ),
      );
    } finally {
      other.close();
    }
  });

  test('a HOST this machine does not have: exit 1, HOST_UNAVAILABLE naming HOST and what to use', () => {
    // 192.0.2.0/24 (TEST-NET-1, RFC 5737) is never assigned to a machine: binding it fails at once.
    const r = withSqlite((url) => start({ DATABASE_URL: url, HOST: '192.0.2.1' }));
    assert.equal(r.code, 1, r.out);
    assert.match(
      r.out,
      /^wharf start: The listen address \(HOST\) cannot be used: listen EADDRNOTAVAIL.*Check HOST \(192\.0\.2\.1\): use 0\.0\.0\.0, :: or a name or address of this machine \(HOST_UNAVAILABLE/m,
    );
  });
});
