import { test } from 'node:test';
import assert from 'node:assert/strict';
import { migrate } from '../../src/adapters/sqlite/migrate.js';
import { SqliteInbox } from '../../src/adapters/sqlite/inbox.js';
import { withSqliteBeforeMigration } from '../helpers/sqlite-before-migration.js';

// Migration 0006 moves leases out of the delivery rows: a database upgraded mid-processing keeps
// its leased deliveries leased (and listed as 'processing'), and nothing else changes state.
test('migration 0006: leased deliveries keep their lease and still read as processing', async () => {
  await withSqliteBeforeMigration(6, async (db, path) => {
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
  });
});
