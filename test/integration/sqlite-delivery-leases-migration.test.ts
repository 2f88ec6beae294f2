import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDatabase } from '../../src/adapters/sqlite/open-database.js';
import { migrate } from '../../src/adapters/sqlite/migrate.js';
import { readMigrations } from '../../src/adapters/read-migrations.js';
import { SqliteInbox } from '../../src/adapters/sqlite/inbox.js';
import { tempDir } from '../helpers/temp-dir.js';

// Migration 0006 moves leases out of the delivery rows: a database upgraded mid-processing keeps
// its leased deliveries leased (and listed as 'processing'), and nothing else changes state.
test('migration 0006: leased deliveries keep their lease and still read as processing', async () => {
  const dir = tempDir('wharf-leases-');
  try {
    const path = join(dir.path, 'wharf.db');
    const db = openDatabase(path);
    db.exec(
      'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    );
    for (const m of readMigrations('sqlite').filter((x) => x.version < 6)) {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?, 0)').run(m.version, m.name);
    }
    const add = db.prepare(
      `INSERT INTO deliveries (received_at, body_hash, body, size, secret_index, request_id, state, lease_owner, lease_until)
       VALUES (1, ?, x'00', 1, 0, 'r', ?, ?, ?)`,
    );
    add.run('a', 'processing', 'w1', 99);
    add.run('b', 'pending', null, null);
    add.run('c', 'processed', null, null);
    assert.equal(migrate(db, 0)[0]?.version, 6);
    assert.deepEqual(db.prepare('SELECT delivery_id, owner, until FROM delivery_leases').all(), [
      { delivery_id: 1, owner: 'w1', until: 99 },
    ]);
    db.close();
    const inbox = new SqliteInbox(path);
    try {
      const page = await inbox.list({ limit: 10 });
      assert.deepEqual(
        page.data.map((d) => [d.id, d.state]),
        [
          ['3', 'processed'],
          ['2', 'pending'],
          ['1', 'processing'],
        ],
      );
      assert.equal((await inbox.list({ limit: 10, state: 'processing' })).total, 1);
      assert.equal((await inbox.list({ limit: 10, state: 'pending' })).total, 1);
      assert.equal(await inbox.depth(), 2);
    } finally {
      await inbox.close();
    }
  } finally {
    dir.cleanup();
  }
});
