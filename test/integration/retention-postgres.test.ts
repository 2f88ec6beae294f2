/**
 * Retention on PostgreSQL against the real pipeline: deliveries stored by the inbox, processed by
 * the processing store (one event_commits row per commit, migration 0003), handed off, pruned. The
 * stream's commit-order rows of pruned events go too, and the stream still resumes and ends right.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { postgresSuite } from '../helpers/postgres-test-db.js';
import { textDelivery } from '../helpers/webhook-bodies.js';
import { deliverDueRows } from '../helpers/deliver-due-rows.js';
import { openDatabase } from '../../src/adapters/postgres/open-database.js';
import { migrate } from '../../src/adapters/postgres/migrate.js';
import { PostgresInbox } from '../../src/adapters/postgres/inbox.js';
import { PostgresProcessingStore } from '../../src/adapters/postgres/processing-store.js';
import { PostgresReadStore } from '../../src/adapters/postgres/read-store.js';
import { PostgresOutbox } from '../../src/adapters/postgres/outbox.js';
import { PostgresRetention } from '../../src/adapters/postgres/retention.js';
import { processBatch } from '../../src/app/process-batch.js';
import { pruneAll } from '../../src/app/prune-all.js';
import { retentionCutoffs } from '../../src/core/retention-cutoffs.js';

const NOW = Date.now();
const DAY = 86_400_000;

await postgresSuite('retention on PostgreSQL, beside the processor', (pg) => {
  test('pruned events take their commit-order rows with them; state, the stream and its last id still hold', async () => {
    const db = openDatabase(await pg.freshSchemaUrl());
    await migrate(db, NOW);
    const inbox = new PostgresInbox(db);
    const store = new PostgresProcessingStore(db);
    const reads = new PostgresReadStore(db);
    const outbox = new PostgresOutbox(db);
    try {
      const store1 = async (wamid: string, receivedAt: number) => {
        const body = textDelivery(wamid, Math.floor(receivedAt / 1000), `hi ${wamid}`);
        await inbox.appendBatch([{ body: Buffer.from(body), receivedAt, secretIndex: 0, requestId: wamid }]);
        // One batch per delivery: one commit, one event_commits row each.
        await processBatch({
          store,
          targets: [{ id: 'crm', wants: () => true }],
          workerId: 'w',
          limit: 10,
          leaseMs: 30_000,
          maxAttempts: 3,
          now: () => NOW,
        });
      };
      for (let i = 0; i < 3; i++) await store1(`wamid.old${i}`, NOW - 40 * DAY + i);
      await store1('wamid.recent', NOW - DAY);
      await deliverDueRows(outbox, 'crm', NOW);
      const commits = async () =>
        Number((await db.pool.query('SELECT count(*) AS n FROM event_commits')).rows[0].n);
      const before = await commits();
      const firstEvent = (await reads.eventsAfter('0', {}, 1))[0];
      const last = await reads.lastEventId();

      const retention = new PostgresRetention(db);
      const counts = await pruneAll(retention, {
        ...retentionCutoffs({ retentionDays: 30, dedupeWindowHours: 168 }, NOW)!,
        batchSize: 2,
        dryRun: false,
      });
      assert.deepEqual(counts, { deliveries: 3, events: 3, outbox: 3 });
      assert.equal(await commits(), before - 3, 'the commit rows of the three pruned commits are gone');
      assert.ok(await reads.getMessage('wamid.old0'), 'message state is kept');
      assert.equal(await reads.lastEventId(), last);
      const resumed = await reads.eventsAfter(firstEvent?.id ?? '0', {}, 10);
      assert.deepEqual(
        resumed.map((e) => e.event.wamid),
        ['wamid.recent'],
        'a cursor on a pruned event resumes after it',
      );
    } finally {
      await db.pool.end();
    }
  });
});
