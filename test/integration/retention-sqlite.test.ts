/**
 * Retention on SQLite against the real pipeline: deliveries stored by the inbox writer thread,
 * processed by the processing store, handed off through the outbox, then pruned, with the writer
 * and the processor still running. What SQLite keeps beside the rows (the dedupe hashes in the
 * writer, delivery_cursor, ids that only grow) must still hold afterwards.
 */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDatabase, type SqliteDatabase } from '../../src/adapters/sqlite/open-database.js';
import { migrate } from '../../src/adapters/sqlite/migrate.js';
import { SqliteInbox } from '../../src/adapters/sqlite/inbox.js';
import { SqliteProcessingStore } from '../../src/adapters/sqlite/processing-store.js';
import { SqliteReadStore } from '../../src/adapters/sqlite/read-store.js';
import { SqliteOutbox } from '../../src/adapters/sqlite/outbox.js';
import { SqliteRetention } from '../../src/adapters/sqlite/retention.js';
import { processBatch } from '../../src/app/process-batch.js';
import { pruneAll } from '../../src/app/prune-all.js';
import { retentionCutoffs } from '../../src/core/retention-cutoffs.js';
import type { NewDelivery } from '../../src/ports/inbox.js';
import { tempDir } from '../helpers/temp-dir.js';
import { textDelivery } from '../helpers/webhook-bodies.js';
import { deliverDueRows } from '../helpers/deliver-due-rows.js';

const NOW = Date.now();
const DAY = 86_400_000;
const settings = { retentionDays: 30, dedupeWindowHours: 168 };
const crm = { id: 'crm', wants: () => true };

describe('retention on SQLite, beside the inbox writer and the processor', () => {
  let dir: ReturnType<typeof tempDir>;
  let path: string;
  let db: SqliteDatabase;
  let inbox: SqliteInbox;
  let store: SqliteProcessingStore;
  let reads: SqliteReadStore;
  let outbox: SqliteOutbox;
  let retention: SqliteRetention;
  beforeEach(() => {
    dir = tempDir('wharf-retention-');
    path = join(dir.path, 'wharf.db');
    db = openDatabase(path);
    migrate(db, NOW);
    inbox = new SqliteInbox(path);
    store = new SqliteProcessingStore(path);
    reads = new SqliteReadStore(path);
    outbox = new SqliteOutbox(path);
    retention = new SqliteRetention(path);
  });
  afterEach(async () => {
    await retention.close();
    await outbox.close();
    await reads.close();
    await store.close();
    await inbox.close();
    db.close();
    dir.cleanup();
  });

  const delivery = (wamid: string, receivedAt: number): NewDelivery => ({
    body: new Uint8Array(Buffer.from(textDelivery(wamid, Math.floor(receivedAt / 1000), `hi ${wamid}`))),
    receivedAt,
    secretIndex: 0,
    requestId: wamid,
  });
  /** Processes everything stored and hands every outbox row off successfully. */
  async function processAndDeliver(): Promise<void> {
    for (;;) {
      const stats = await processBatch({
        store,
        targets: [crm],
        workerId: 'w',
        limit: 50,
        leaseMs: 30_000,
        maxAttempts: 3,
        now: () => NOW,
      });
      if (stats.claimed === 0) break;
    }
    await deliverDueRows(outbox, 'crm', NOW);
  }
  const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  const prune = () =>
    pruneAll(retention, { ...retentionCutoffs(settings, NOW)!, batchSize: 3, dryRun: false });

  test('old deliveries, their events and hand-offs go; message and contact state stay; recent ones are untouched', async () => {
    const old = Array.from({ length: 5 }, (_, i) => delivery(`wamid.old${i}`, NOW - 40 * DAY + i));
    await inbox.appendBatch([...old, delivery('wamid.recent', NOW - DAY)]);
    await processAndDeliver();
    assert.deepEqual([count('deliveries'), count('events'), count('outbox')], [6, 6, 6]);
    const before = await reads.getMessage('wamid.old0');

    assert.deepEqual(await prune(), { deliveries: 5, events: 5, outbox: 5 });
    assert.deepEqual([count('deliveries'), count('events'), count('outbox')], [1, 1, 1]);
    assert.equal(count('delivery_outcomes'), 1, 'outcome rows go with their deliveries');
    assert.deepEqual(await reads.getMessage('wamid.old0'), before, 'the message state is kept');
    assert.ok(await reads.getContact('447700900123'));
    assert.equal((await reads.listEvents({ limit: 10 })).data.length, 1);
  });

  test('afterwards new deliveries get new ids and are processed, and redeliveries inside the window are still found', async () => {
    const recent = delivery('wamid.recent', NOW - DAY);
    const stored = await inbox.appendBatch([delivery('wamid.old', NOW - 40 * DAY), recent]);
    await processAndDeliver();
    assert.equal((await prune()).deliveries, 1);

    const [again, fresh] = await inbox.appendBatch([recent, delivery('wamid.new', NOW)]);
    assert.equal(
      again?.duplicate,
      true,
      'a byte-identical redelivery inside the dedupe window is stored once',
    );
    assert.equal(again?.id, stored[1]?.id);
    assert.ok(Number(fresh?.id) > Number(stored[1]?.id), 'ids keep growing');
    await processAndDeliver();
    assert.ok(
      await reads.getMessage('wamid.new'),
      'the processor found the new delivery above delivery_cursor',
    );
    assert.equal(await inbox.depth(), 0);
  });

  test('a dead-lettered hand-off keeps its delivery and event until it is replayed and delivered', async () => {
    await inbox.appendBatch([delivery('wamid.dead', NOW - 40 * DAY), delivery('wamid.recent', NOW)]);
    await processAndDeliver();
    const row = db
      .prepare(`SELECT o.id FROM outbox o JOIN events e ON e.id = o.event_id WHERE e.wamid = 'wamid.dead'`)
      .pluck()
      .get() as number;
    db.prepare(`UPDATE outbox SET state = 'dead', dead_at = ? WHERE id = ?`).run(NOW, row);
    assert.equal((await prune()).deliveries, 0);
    assert.equal((await outbox.replayDeadLetter(String(row), NOW)).outcome, 'replayed');
    await processAndDeliver();
    assert.deepEqual(await prune(), { deliveries: 1, events: 1, outbox: 1 });
  });

  test('space freed by a prune is reused: the file does not grow over cycles of the same traffic', async () => {
    // Free pages go on SQLite's freelist and later inserts take them (docs/operations.md#retention).
    const pages = () => db.pragma('page_count', { simple: true }) as number;
    // The same 200 messages each cycle (new bytes: another time), so state stays the same size
    // and only deliveries, events and hand-offs come and go.
    const cycle = async (n: number) => {
      const batch = Array.from({ length: 200 }, (_, i) =>
        delivery(`wamid.c${i}`, NOW - 40 * DAY + n * 1000 + i),
      );
      await inbox.appendBatch([...batch, delivery(`wamid.keep${n}`, NOW)]);
      await processAndDeliver();
      await prune();
      db.pragma('wal_checkpoint(TRUNCATE)');
    };
    await cycle(1);
    const after1 = pages();
    for (let n = 2; n <= 4; n++) await cycle(n);
    assert.ok(pages() <= after1 + 8, `page_count ${pages()} after four cycles, ${after1} after one`);
    assert.ok(
      (db.pragma('freelist_count', { simple: true }) as number) > 0,
      'pruned pages wait on the freelist',
    );
  });
});
