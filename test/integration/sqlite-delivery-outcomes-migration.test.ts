import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../src/adapters/sqlite/open-database.js';
import { migrate } from '../../src/adapters/sqlite/migrate.js';
import { readMigrations } from '../../src/adapters/read-migrations.js';
import { SqliteInbox } from '../../src/adapters/sqlite/inbox.js';
import { SqliteProcessingStore } from '../../src/adapters/sqlite/processing-store.js';
import { withSqliteBeforeMigration } from '../helpers/sqlite-before-migration.js';

// Migration 0008 moves processing outcomes out of the delivery rows: every delivery keeps the
// state, attempts, processed_at and error it had, the claim finds exactly the deliveries that were
// still to process (a failed one with its attempts, a leased one only once its lease expires), and
// processing them moves the cursor past all of them.
test('migration 0008: deliveries keep their processing state, and the claim finds the ones still to process', async () => {
  await withSqliteBeforeMigration(8, async (db, path) => {
    const add = db.prepare(
      `INSERT INTO deliveries (received_at, body_hash, body, size, secret_index, request_id, state, attempts, processed_at, error)
       VALUES (?, ?, x'7b7d', 2, 0, 'r', ?, ?, ?, ?)`,
    );
    add.run(1, 'a', 'processed', 0, 10, null); // 1
    add.run(2, 'b', 'invalid', 0, 11, 'NOT_JSON: x'); // 2
    add.run(3, 'c', 'processed', 1, 12, null); // 3: processed after one failed attempt
    add.run(4, 'd', 'pending', 2, null, 'processing failed: boom'); // 4: to retry
    add.run(5, 'e', 'pending', 0, null, null); // 5: leased (migration 0006 row below)
    add.run(6, 'f', 'processed', 0, 13, null); // 6: processed before 4 and 5
    add.run(7, 'g', 'pending', 0, null, null); // 7: never claimed
    db.prepare(`INSERT INTO delivery_leases (delivery_id, owner, until) VALUES (5, 'w1', 1000)`).run();
    assert.deepEqual(
      migrate(db, 0).map((m) => m.version),
      readMigrations('sqlite')
        .filter((m) => m.version >= 8)
        .map((m) => m.version),
    );
    assert.equal(db.prepare('SELECT outcomes_through FROM delivery_cursor').pluck().get(), 4);
    db.close();

    const inbox = new SqliteInbox(path);
    try {
      const page = await inbox.list({ limit: 10 });
      assert.deepEqual(
        page.data.map((d) => [d.id, d.state, d.processedAt, d.error]),
        [
          ['7', 'pending', null, null],
          ['6', 'processed', 13, null],
          ['5', 'processing', null, null],
          ['4', 'pending', null, 'processing failed: boom'],
          ['3', 'processed', 12, null],
          ['2', 'invalid', 11, 'NOT_JSON: x'],
          ['1', 'processed', 10, null],
        ],
      );
      const totals = async (state: 'pending' | 'processing' | 'processed' | 'invalid') =>
        (await inbox.list({ limit: 1, state })).total;
      assert.deepEqual(
        [
          await totals('pending'),
          await totals('processing'),
          await totals('processed'),
          await totals('invalid'),
        ],
        [2, 1, 3, 1],
      );
      assert.equal(await inbox.depth(), 3);

      const store = new SqliteProcessingStore(path);
      try {
        assert.deepEqual(
          (await store.claimBatch('w2', 10, 1000, 999)).map((d) => [d.id, d.attempts]),
          [
            ['4', 2],
            ['7', 0],
          ],
          'the leased delivery waits for its lease to expire',
        );
        assert.deepEqual(
          (await store.claimBatch('w3', 10, 1000, 1001)).map((d) => [d.id, d.attempts]),
          [['5', 0]],
        );
        await store.commitBatch({
          workerId: 'w2',
          now: 2000,
          processed: [
            { deliveryId: '4', events: [] },
            { deliveryId: '5', events: [] },
            { deliveryId: '7', events: [] },
          ],
          invalid: [],
          failed: [],
          maxAttempts: 3,
        });
      } finally {
        await store.close();
      }
      assert.equal(await inbox.depth(), 0);
      assert.deepEqual(
        (await inbox.list({ limit: 10 })).data.map((d) => d.state),
        Array(7).fill('processed').fill('invalid', 5, 6),
      );
    } finally {
      await inbox.close();
    }
    const after = openDatabase(path);
    try {
      assert.equal(after.prepare('SELECT outcomes_through FROM delivery_cursor').pluck().get(), 7);
      assert.equal(
        after.prepare(`SELECT attempts FROM delivery_outcomes WHERE delivery_id = 4`).pluck().get(),
        2,
        'attempts kept once processed',
      );
    } finally {
      after.close();
    }
  });
});
