/**
 * A process that takes webhooks and processes (role `all`, SQLite) runs each batch in its
 * processing thread (ThreadedProcessingStore.runBatch): the thread that answers the webhooks only
 * hands over the targets' rules and reads the result. What it stores must be exactly what a batch
 * prepared in the calling thread stores, and what the API reads right after a commit (served from
 * the commit notices) exactly what the database gives back.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDatabase } from '../../src/adapters/sqlite/open-database.js';
import { migrate } from '../../src/adapters/sqlite/migrate.js';
import { CommitNotices } from '../../src/adapters/sqlite/commit-notices.js';
import { ThreadedProcessingStore } from '../../src/adapters/sqlite/threaded-processing-store.js';
import { SqliteReadStore } from '../../src/adapters/sqlite/read-store.js';
import { Processor } from '../../src/app/processor.js';
import { HandlerRegistry } from '../../src/app/handler-registry.js';
import { mediaOutboxTarget } from '../../src/app/media-target.js';
import { createLogger } from '../../src/observability/create-logger.js';
import {
  createProcessingMetrics,
  type ProcessingMetrics,
} from '../../src/observability/processing-metrics.js';
import { Registry } from 'prom-client';
import { normalizeDelivery } from '../../src/core/normalize-delivery.js';
import { parseDelivery } from '../../src/core/parse-delivery.js';
import { wantsOfRule, type TargetRule } from '../../src/core/target-rule.js';
import type { OutboxTarget } from '../../src/ports/outbox-target.js';
import type { EventQuery } from '../../src/ports/read-store.js';
import {
  createHarness,
  deliveryState,
  insertDelivery,
  snapshotState,
} from '../helpers/processing-harness.js';
import { fixtureBytes, fixturePaths } from '../helpers/fixtures.js';
import { statusDelivery } from '../helpers/webhook-bodies.js';
import { tempDir } from '../helpers/temp-dir.js';

const noop = async () => undefined;

/** One target of every kind Wharf makes: handlers by name, prefix and filter, a destination, media. */
function targets(where?: (e: { name: string }) => boolean): OutboxTarget[] {
  const registry = new HandlerRegistry();
  registry.on('message.text', noop);
  registry.on(['status.', 'message.image'], noop, { phoneNumberId: '900000000000001' });
  registry.onAny(noop, where ? { where } : { phoneNumberId: '900000000000002' });
  const destination: TargetRule = {
    kind: 'destination',
    filter: { events: ['status.', 'message.'], errorCodes: [131026, 131047] },
    sentStatuses: true,
  };
  return [
    ...registry.targets,
    { id: 'destination:d1', wants: wantsOfRule(destination), rule: destination },
    mediaOutboxTarget,
  ];
}

/** Signed bodies that are no webhook: recorded invalid, never retried. */
const UNREADABLE = ['{"object":"page","entry":"no"}', 'not json', '['.repeat(20_000) + ']'.repeat(20_000)];

/** Every fixture, the first five again (duplicates), then the unreadable bodies: what each test's inbox holds. */
function inboxBodies(): Array<Buffer | string> {
  const paths = fixturePaths();
  return [...[...paths, ...paths.slice(0, 5)].map((p) => fixtureBytes(p)), ...UNREADABLE];
}

/** A database with every fixture (and a few copies, for duplicates) waiting in the inbox. */
function filled() {
  const dir = tempDir('wharf-threaded-');
  const path = join(dir.path, 'wharf.db');
  const db = openDatabase(path);
  migrate(db, 0);
  const bodies = inboxBodies();
  for (const body of bodies) insertDelivery(db, body);
  return { dir, path, db, deliveries: bodies.length };
}

/** Batches the thread ran (runBatch), counted as they pass. */
function counted(store: ThreadedProcessingStore) {
  const run = store.runBatch.bind(store);
  const count = { runs: 0 };
  store.runBatch = (...args) => (count.runs++, run(...args));
  return count;
}

function processorOn(
  store: ThreadedProcessingStore,
  list: OutboxTarget[],
  batchSize = 7,
  metrics?: ProcessingMetrics,
) {
  let clock = 1_800_000_000_000;
  return new Processor({
    store,
    targets: () => list,
    logger: createLogger('silent'),
    ...(metrics ? { metrics } : {}),
    now: () => ++clock,
    batchSize,
    leaseMs: 30_000,
    maxAttempts: 3,
    targetBatchMs: Infinity,
  });
}

describe('SQLite batches run in the processing thread (role all)', () => {
  test('every kind of outbox target crosses to the thread as its rule and makes the same choice there', () => {
    const list = targets();
    const events = fixturePaths().flatMap((p) => {
      const parsed = parseDelivery(fixtureBytes(p));
      return parsed.ok ? normalizeDelivery(parsed.envelope) : [];
    });
    assert.ok(events.length > 100);
    for (const t of list) {
      assert.ok(t.rule, `${t.id} has a rule`);
      const there = wantsOfRule(structuredClone(t.rule));
      const chosen = events.filter((e) => t.wants(e)).length;
      assert.ok(chosen > 0 && chosen < events.length, `${t.id} wants some events, not all (${chosen})`);
      for (const e of events) assert.equal(there(e), t.wants(e), `${t.id} on ${e.name} ${e.key}`);
    }
    assert.equal(targets(() => true).find((t) => t.id.startsWith('onAny'))?.rule, undefined);
  });

  test('store the same events, state, outbox rows and outcomes as batches prepared in the calling thread, for every fixture', async () => {
    const here = createHarness();
    const there = filled();
    const store = new ThreadedProcessingStore(there.path);
    try {
      for (const body of inboxBodies()) here.add(body);
      await here.drain(7, targets());
      const thread = counted(store);
      const events = await processorOn(store, targets()).drain();
      assert.ok(thread.runs > 20, `${thread.runs} batches ran in the thread`);
      assert.ok(events > 100, `${events} events committed in the thread`);
      assert.deepEqual(snapshotState(there.db), here.snapshot());
      const outcomes = (db: typeof there.db) =>
        Array.from({ length: there.deliveries }, (_, i) => deliveryState(db, i + 1)?.state);
      assert.deepEqual(outcomes(there.db), outcomes(here.db));
      assert.deepEqual(new Set(outcomes(there.db)), new Set(['processed', 'invalid']));
    } finally {
      await store.close();
      there.db.close();
      there.dir.cleanup();
      await here.close();
    }
  });

  test('a target without a rule (a handler with `where`): batches are prepared in the calling thread, with the same rows', async () => {
    const here = createHarness();
    const there = filled();
    const store = new ThreadedProcessingStore(there.path);
    const where = (e: { name: string }) => e.name.startsWith('status.');
    try {
      for (const body of inboxBodies()) here.add(body);
      await here.drain(7, targets(where));
      const thread = counted(store);
      await processorOn(store, targets(where)).drain();
      assert.equal(thread.runs, 0);
      assert.deepEqual(snapshotState(there.db), here.snapshot());
    } finally {
      await store.close();
      there.db.close();
      there.dir.cleanup();
      await here.close();
    }
  });

  test('each batch tells how long its longest claim or commit held the write lock, which the processor records (wharf_processing_lock_seconds); a batch prepared in the calling thread tells nothing', async () => {
    const there = filled();
    const store = new ThreadedProcessingStore(there.path);
    try {
      const holds: Array<{ lockMs: number | undefined; wallMs: number }> = [];
      const run = store.runBatch.bind(store);
      store.runBatch = async (...args) => {
        const started = performance.now();
        const stats = await run(...args);
        if (stats.claimed > 0) holds.push({ lockMs: stats.lockMs, wallMs: performance.now() - started });
        return stats;
      };
      const metrics = createProcessingMetrics(new Registry());
      await processorOn(store, targets(), 7, metrics).drain();
      assert.ok(holds.length >= 10, `${holds.length} batches`);
      for (const { lockMs, wallMs } of holds) {
        assert.ok(lockMs !== undefined && lockMs > 0, `a batch that claimed held the lock (${lockMs} ms)`);
        assert.ok(lockMs <= wallMs, `a hold (${lockMs} ms) lies within its batch (${wallMs} ms)`);
      }
      const observed = (await metrics.lockHold.get()).values;
      const count = observed.find((v) => v.metricName === 'wharf_processing_lock_seconds_count')?.value;
      const sum = observed.find((v) => v.metricName === 'wharf_processing_lock_seconds_sum')?.value;
      assert.equal(count, holds.length, 'one observation per batch');
      const total = holds.reduce((n, h) => n + (h.lockMs ?? 0), 0) / 1000;
      assert.ok(Math.abs((sum ?? 0) - total) < 1e-9, `the sum is the holds' (${sum} s, ${total} s)`);

      const where = filled();
      const inCallingThread = new ThreadedProcessingStore(where.path);
      try {
        const none = createProcessingMetrics(new Registry());
        const events = await processorOn(
          inCallingThread,
          targets(() => true),
          7,
          none,
        ).drain();
        assert.ok(events > 100);
        const values = (await none.lockHold.get()).values;
        assert.equal(values.find((v) => v.metricName === 'wharf_processing_lock_seconds_count')?.value, 0);
      } finally {
        await inCallingThread.close();
        where.db.close();
        where.dir.cleanup();
      }
    } finally {
      await store.close();
      there.db.close();
      there.dir.cleanup();
    }
  });

  test('the events just committed are read from the commit notices, exactly as the database reads them back, for every filter', async () => {
    const there = filled();
    const notices = new CommitNotices();
    const store = new ThreadedProcessingStore(there.path, { notices });
    const reads = new SqliteReadStore(there.path, notices);
    const table = new SqliteReadStore(there.path);
    try {
      await processorOn(store, targets(), 40).drain();
      const last = Number(await table.lastEventId());
      const filters: EventQuery[] = [
        {},
        { name: 'status.' },
        { name: 'message.text' },
        { name: 'message.' },
        { phoneNumberId: '900000000000001' },
      ];
      for (const filter of filters)
        for (const after of [0, 1, Math.floor(last / 3), last - 2, last])
          for (const limit of [1, 7, 1000]) {
            const fromNotices = await reads.eventsAfter(String(after), filter, limit);
            const fromTable = await table.eventsAfter(String(after), filter, limit);
            assert.equal(
              JSON.stringify(fromNotices),
              JSON.stringify(fromTable),
              `after ${after}, ${JSON.stringify(filter)}, limit ${limit}`,
            );
          }
      // A commit of another writer (not told to this process) after these: read from the table.
      const other = createHarnessOn(there.path);
      insertDelivery(there.db, statusDelivery({ wamid: 'wamid.OTHER', status: 'sent', ts: 1_750_000_000 }));
      await other.drain();
      const after = await reads.eventsAfter(String(last - 1), { name: 'status.' }, 1000);
      assert.equal(
        JSON.stringify(after),
        JSON.stringify(await table.eventsAfter(String(last - 1), { name: 'status.' }, 1000)),
      );
      assert.equal(after.at(-1)?.event.wamid, 'wamid.OTHER');
      await other.close();
    } finally {
      await reads.close();
      await table.close();
      await store.close();
      there.db.close();
      there.dir.cleanup();
    }
  });
});

/** Another process's processor on the same file: its commits are not noticed here. */
function createHarnessOn(path: string) {
  const store = new ThreadedProcessingStore(path);
  return { drain: () => processorOn(store, []).drain(), close: () => store.close() };
}
