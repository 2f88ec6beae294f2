import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDatabase } from '../../src/adapters/sqlite/open-database.js';
import { migrate } from '../../src/adapters/sqlite/migrate.js';
import { SqliteInbox } from '../../src/adapters/sqlite/inbox.js';
import { SqliteProcessingStore } from '../../src/adapters/sqlite/processing-store.js';
import type { BatchResult } from '../../src/ports/processing-store.js';
import { tempDir } from '../helpers/temp-dir.js';
import { deliveryState, insertDelivery } from '../helpers/processing-harness.js';

const T = 1_800_000_000_000;
const processedAll = (workerId: string, ids: readonly string[], now: number): BatchResult => ({
  workerId,
  now,
  processed: ids.map((deliveryId) => ({ deliveryId, events: [] })),
  invalid: [],
  failed: [],
  maxAttempts: 3,
});

// The SQLite claim finds never-processed deliveries above delivery_cursor (migration 0008). A batch
// leased by a worker that died must not hold the cursor back (every later claim would scan all the
// deliveries processed since), yet must be claimed again once its lease expires; a released lease
// at or below the cursor must be claimable again too.
test('delivery_cursor moves past a dead worker’s leased batch, which is reclaimed when its lease expires', async () => {
  const dir = tempDir('wharf-cursor-');
  try {
    const path = join(dir.path, 'wharf.db');
    const db = openDatabase(path);
    migrate(db, 0);
    for (let i = 0; i < 10; i++) insertDelivery(db, '{"object":"x","entry":[]}', i);
    const store = new SqliteProcessingStore(path);
    const inbox = new SqliteInbox(path);
    const cursor = () => db.prepare('SELECT outcomes_through FROM delivery_cursor').pluck().get();
    try {
      const dead = (await store.claimBatch('dead', 3, 1_000, T)).map((d) => d.id);
      assert.deepEqual(dead, ['1', '2', '3']);
      const live = (await store.claimBatch('live', 4, 60_000, T)).map((d) => d.id);
      assert.deepEqual(live, ['4', '5', '6', '7']);
      await store.commitBatch(processedAll('live', live, T + 10));
      assert.equal(cursor(), 7, 'past the leased 1–3 and the processed 4–7');
      assert.equal(await inbox.depth(), 6, '1–3 (leased) and 8–10');
      assert.equal(deliveryState(db, 2)?.state, 'processing');

      assert.deepEqual(
        (await store.claimBatch('live', 10, 60_000, T + 500)).map((d) => d.id),
        ['8', '9', '10'],
        'not before the lease expires',
      );
      const reclaimed = (await store.claimBatch('other', 10, 60_000, T + 1_001)).map((d) => d.id);
      assert.deepEqual(reclaimed, ['1', '2', '3'], 'expired leases below the cursor');
      await store.commitBatch(processedAll('other', reclaimed, T + 1_100));
      assert.equal(await inbox.depth(), 3, '8–10 still leased by live');

      // Released at shutdown after the cursor moved past: claimable again at once.
      await store.releaseLeases('live', ['9']);
      assert.ok((cursor() as number) < 9);
      assert.equal(deliveryState(db, 9)?.state, 'pending');
      assert.deepEqual(
        (await store.claimBatch('next', 10, 60_000, T + 1_200)).map((d) => d.id),
        ['9'],
      );
      await store.commitBatch(processedAll('next', ['9'], T + 1_300));
      await store.commitBatch(processedAll('live', ['8', '10'], T + 1_400));
      assert.equal(await inbox.depth(), 0);
      assert.equal(cursor(), 10);
      assert.equal((await inbox.list({ limit: 20, state: 'processed' })).total, 10);
    } finally {
      await inbox.close();
      await store.close();
      db.close();
    }
  } finally {
    dir.cleanup();
  }
});
