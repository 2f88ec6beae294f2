import { test } from 'node:test';
import assert from 'node:assert/strict';
import { migrate } from '../../src/adapters/sqlite/migrate.js';
import { SqliteProcessingStore } from '../../src/adapters/sqlite/processing-store.js';
import { SqliteReadStore } from '../../src/adapters/sqlite/read-store.js';
import { withSqliteBeforeMigration } from '../helpers/sqlite-before-migration.js';
import { insertDelivery } from '../helpers/processing-harness.js';
import { drain } from '../conformance/processing-store.conformance.js';
import { PNID, statusDelivery } from '../helpers/webhook-bodies.js';

// Migration 0009 rebuilds messages in arrival order with a unique (wamid, phone_number_id) index:
// every row and column survives, and statuses arriving afterwards still merge into the same row.
test('migration 0009: messages keep every row, stay unique per (wamid, phone number) and keep merging statuses', async () => {
  await withSqliteBeforeMigration(9, async (db, path) => {
    const add = db.prepare(
      `INSERT INTO messages (phone_number_id, wamid, direction, type, preview, status_rank, sent_at, delivered_at,
         pricing_category, pricing_rank, contact_wa_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    add.run(PNID, 'wamid.B', 'outbound', null, null, 1, 1_000, null, 'utility', '1|k', '4477');
    add.run('P1', 'wamid.A', 'inbound', 'text', 'hi', null, null, null, null, null, '4478');
    add.run('P2', 'wamid.A', 'outbound', null, null, 2, null, 2_000, null, null, null);
    const before = db.prepare('SELECT * FROM messages ORDER BY wamid, phone_number_id').all();
    migrate(db, 0);
    assert.deepEqual(db.prepare('SELECT * FROM messages ORDER BY wamid, phone_number_id').all(), before);
    assert.throws(
      () => add.run(PNID, 'wamid.B', 'outbound', null, null, 1, 5, null, null, null, null),
      /UNIQUE constraint failed: messages.wamid, messages.phone_number_id/,
    );
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT * FROM messages WHERE wamid = 'wamid.B'")
      .all() as Array<{ detail: string }>;
    assert.match(plan.map((p) => p.detail).join(' '), /USING INDEX messages_key/);

    insertDelivery(db, statusDelivery({ wamid: 'wamid.B', status: 'read', ts: 1_767_225_600 }));
    const store = new SqliteProcessingStore(path);
    const reads = new SqliteReadStore(path);
    try {
      await drain(store);
      const m = await reads.getMessage('wamid.B');
      assert.equal(m?.status, 'read');
      assert.deepEqual(
        m?.statuses.map((s) => s.status),
        ['sent', 'read'],
      );
    } finally {
      await reads.close();
      await store.close();
    }
    assert.equal(db.prepare(`SELECT count(*) FROM messages WHERE wamid = 'wamid.B'`).pluck().get(), 1);
    db.close();
  });
});
