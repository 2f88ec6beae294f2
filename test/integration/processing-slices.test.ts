/**
 * A batch prepared in slices (`sliceMs`, role `all`: docs/benchmarks.md "End-to-end lag") commits
 * each slice as a transaction of its own, with the event loop free between two, and ends in the
 * same state as the batch committed whole. Real SQLite, no HTTP.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, deliveryState, type Harness } from '../helpers/processing-harness.js';
import { statusDelivery, textDelivery } from '../helpers/webhook-bodies.js';
import { processBatch, type Slice } from '../../src/app/process-batch.js';
import type { BatchResult, ProcessingStore } from '../../src/ports/processing-store.js';

const T0 = 1767225600;
const BODIES = [
  textDelivery('wamid.IN1', T0, 'hello'),
  statusDelivery(
    { wamid: 'wamid.OUT1', status: 'sent', ts: T0 + 1 },
    { wamid: 'wamid.OUT2', status: 'sent', ts: T0 + 1 },
  ),
  'not a webhook',
  statusDelivery({ wamid: 'wamid.OUT1', status: 'read', ts: T0 + 5, name: 'Ana' }),
  textDelivery('wamid.IN2', T0 + 6, 'again'),
  statusDelivery({ wamid: 'wamid.OUT2', status: 'delivered', ts: T0 + 3 }),
];
const targets = [{ id: 'all', wants: () => true }];
/** No time at all per slice: every delivery is a slice of its own. */
const EVERY_DELIVERY: Slice = { ms: 0, events: 1_000_000 };

/** The harness's store, recording each commit's deliveries and whether a setImmediate ran before it. */
function recording(h: Harness) {
  const commits: string[][] = [];
  const loopRanBefore: boolean[] = [];
  let ran = true;
  const store: ProcessingStore = {
    claimBatch: (...args) => h.store.claimBatch(...args),
    releaseLeases: (...args) => h.store.releaseLeases(...args),
    close: () => h.store.close(),
    commitBatch(result: BatchResult) {
      loopRanBefore.push(ran);
      ran = false;
      setImmediate(() => (ran = true));
      commits.push([...result.processed, ...result.invalid, ...result.failed].map((d) => d.deliveryId));
      return h.store.commitBatch(result);
    },
  };
  return { store, commits, loopRanBefore };
}

async function run(slice: Slice | undefined) {
  const h = createHarness();
  const ids = BODIES.map((b) => h.add(b));
  const r = recording(h);
  let clock = 1_800_000_000_000;
  const stats = await processBatch({
    store: r.store,
    targets,
    workerId: 'test-worker',
    limit: 100,
    leaseMs: 30_000,
    maxAttempts: 3,
    now: () => ++clock,
    ...(slice === undefined ? {} : { slice }),
  });
  const states = ids.map((id) => deliveryState(h.db, id)?.state);
  const snapshot = h.snapshot();
  await h.close();
  return { ids, stats, states, snapshot, ...r };
}

describe('a batch prepared in slices', () => {
  test('each slice is committed on its own, every delivery in exactly one, in claim order', async () => {
    const sliced = await run(EVERY_DELIVERY);
    assert.equal(sliced.commits.length, BODIES.length);
    assert.deepEqual(sliced.commits.flat(), sliced.ids.map(String));
  });

  test('a slice ends once it holds `events` events, after the delivery that reached them', async () => {
    const sliced = await run({ ms: 60_000, events: 2 });
    const [a, b, c, d, e, f] = sliced.ids.map(String);
    // 1 + 2 events | 0 (not a webhook) + 1 + 1 | 1
    assert.deepEqual(
      sliced.commits.map((ids) => [...ids].sort((x, y) => Number(x) - Number(y))),
      [[a, b], [c, d, e], [f]],
    );
  });

  test('the event loop runs between two slices', async () => {
    const sliced = await run(EVERY_DELIVERY);
    assert.ok(sliced.loopRanBefore.length > 1);
    assert.deepEqual(
      sliced.loopRanBefore.slice(1),
      sliced.loopRanBefore.slice(1).map(() => true),
    );
  });

  test('without sliceMs the batch is one commit', async () => {
    const whole = await run(undefined);
    assert.equal(whole.commits.length, 1);
  });

  test('ends in the same state, outcomes and counts as the batch committed whole', async () => {
    const whole = await run(undefined);
    const sliced = await run(EVERY_DELIVERY);
    assert.deepEqual(sliced.snapshot, whole.snapshot);
    assert.deepEqual(sliced.states, whole.states);
    assert.deepEqual(whole.states, [
      'processed',
      'processed',
      'invalid',
      'processed',
      'processed',
      'processed',
    ]);
    assert.equal(sliced.stats.claimed, whole.stats.claimed);
    assert.equal(sliced.stats.invalid, 1);
    assert.equal(sliced.stats.outcome.committed.length, whole.stats.outcome.committed.length);
    assert.equal(sliced.stats.outcome.outboxRows, whole.stats.outcome.outboxRows);
    assert.deepEqual(
      sliced.stats.outcome.committed.map((c) => c.event.name),
      whole.stats.outcome.committed.map((c) => c.event.name),
    );
  });
});
