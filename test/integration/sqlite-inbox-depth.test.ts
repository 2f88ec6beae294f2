/**
 * wharf_inbox_depth on SQLite (SqliteInbox.depth, read at every /metrics scrape): the deliveries not
 * processed yet, whichever way the ids above delivery_cursor are counted. With a short backlog it
 * reads a range of the primary key; with a backlog of most of what is stored, the covering time
 * index, whose scan reads ~100 bytes a delivery instead of the table's pages (510 – 595 ms → 74 –
 * 93 ms for 900,000 unprocessed deliveries). Both must give the definition's count (UNSETTLED).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDatabase, type SqliteDatabase } from '../../src/adapters/sqlite/open-database.js';
import { migrate } from '../../src/adapters/sqlite/migrate.js';
import { SqliteInbox, UNSETTLED } from '../../src/adapters/sqlite/inbox.js';
import { tempDir } from '../helpers/temp-dir.js';
import { insertDelivery } from '../helpers/processing-harness.js';

/** The definition: the ids the inbox's UNSETTLED query lists. */
const unprocessed = (db: SqliteDatabase): number =>
  db.prepare(`SELECT count(*) FROM (${UNSETTLED})`).pluck().get() as number;

/** A migrated database file in a directory of its own, and an inbox on it; `close` ends all three. */
function migratedFile() {
  const dir = tempDir('wharf-depth-');
  const path = join(dir.path, 'wharf.db');
  const db = openDatabase(path);
  migrate(db, 0);
  const inbox = new SqliteInbox(path);
  const close = async () => {
    await inbox.close();
    db.close();
    dir.cleanup();
  };
  return { db, inbox, close };
}

function setUp(cursorAt: number) {
  const file = migratedFile();
  const { db } = file;
  for (let i = 0; i < 100; i++) insertDelivery(db, '{"object":"x","entry":[]}', i);
  db.prepare('UPDATE delivery_cursor SET outcomes_through = ?').run(cursorAt);
  const outcome = db.prepare('INSERT INTO delivery_outcomes (delivery_id, state) VALUES (?, ?)');
  // Below the cursor: settled, one to process again, and a leased one without an outcome.
  for (let id = 1; id <= cursorAt; id++)
    if (id !== 3 && id !== 4) outcome.run(id, id === 2 ? 'pending' : 'processed');
  db.prepare("INSERT INTO delivery_leases (delivery_id, owner, until) VALUES (3, 'w', 0)").run();
  // Above it: some processed, some invalid, one to process again, the rest without an outcome.
  outcome.run(cursorAt + 2, 'processed');
  outcome.run(cursorAt + 3, 'invalid');
  outcome.run(cursorAt + 5, 'pending');
  // A lease above the cursor (a batch claimed, not yet settled), and ids with a gap (pruned by hand).
  db.prepare("INSERT INTO delivery_leases (delivery_id, owner, until) VALUES (?, 'w', 0)").run(cursorAt + 1);
  db.prepare('DELETE FROM deliveries WHERE id = ?').run(cursorAt + 4);
  // Outcomes whose delivery is gone: a processed one counts for nothing, a pending one as the definition says.
  outcome.run(1_000, 'processed');
  outcome.run(1_001, 'pending');
  return file;
}

for (const [plan, cursorAt] of [
  ['a short backlog (a range of the primary key)', 95],
  ['a backlog of most deliveries (the covering time index)', 10],
] as const) {
  test(`depth with ${plan} is the number of deliveries not processed yet`, async () => {
    const { db, inbox, close } = setUp(cursorAt);
    try {
      const expected = unprocessed(db);
      assert.ok(expected > 0);
      assert.equal(await inbox.depth(), expected);
      // A lease released: delivery 3 (no outcome, at or below the cursor) is no longer counted.
      db.prepare('DELETE FROM delivery_leases').run();
      assert.equal(await inbox.depth(), unprocessed(db));
    } finally {
      await close();
    }
  });
}

test('a cursor above every stored id: only what is to be processed again counts', async () => {
  const { db, inbox, close } = setUp(95);
  try {
    db.prepare('UPDATE delivery_cursor SET outcomes_through = 500').run();
    assert.equal(await inbox.depth(), unprocessed(db));
  } finally {
    await close();
  }
});

test('an empty inbox, and one whose every delivery is processed, have a depth of 0', async () => {
  const { db, inbox, close } = migratedFile();
  try {
    assert.equal(await inbox.depth(), 0);
    for (let i = 0; i < 5; i++) insertDelivery(db, '{"object":"x","entry":[]}', i);
    assert.equal(await inbox.depth(), 5);
    db.prepare('UPDATE delivery_cursor SET outcomes_through = 5').run();
    for (let id = 1; id <= 5; id++)
      db.prepare("INSERT INTO delivery_outcomes (delivery_id, state) VALUES (?, 'processed')").run(id);
    assert.equal(await inbox.depth(), 0);
  } finally {
    await close();
  }
});
