import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { createOutboxDb, type OutboxDb } from '../helpers/outbox-db.js';
import { waitFor } from '../helpers/wait-for.js';
import {
  Dispatcher,
  type AttemptReport,
  type DispatchTarget,
  type HandlerContext,
} from '../../src/app/dispatcher.js';
import { DontRetryError, RetryAfterError } from '../../src/app/handler-errors.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../src/core/retry-schedule.js';
import type { Outbox } from '../../src/ports/outbox.js';
import type { AnyWharfEvent } from '../../src/events/wharf-event.js';
import { ThreadedOutbox } from '../../src/adapters/sqlite/threaded-outbox.js';
import { DispatchThread } from '../../src/adapters/sqlite/dispatch-thread.js';

const policy = { ...DEFAULT_RETRY_POLICY, baseMs: 2, factor: 2, capMs: 10, maxAttempts: 3 };
type Handle = (event: AnyWharfEvent, ctx: HandlerContext) => unknown;

describe('dispatcher against a real SQLite outbox', () => {
  let x: OutboxDb;
  let running: Dispatcher[];
  let reports: AttemptReport[];
  beforeEach(() => {
    x = createOutboxDb(Date.now());
    running = [];
    reports = [];
  });
  afterEach(async () => {
    for (const d of running) await d.stop(0);
    await x.dispose();
  });

  function start(
    targets: Record<string, Handle | Partial<DispatchTarget>>,
    workerId = 'w1',
    over: { policy?: RetryPolicy; outbox?: Outbox; pollMs?: number } = {},
  ): Dispatcher {
    const list: DispatchTarget[] = Object.entries(targets).map(([id, t]) => {
      const given: Partial<DispatchTarget> = typeof t === 'function' ? { handle: t } : t;
      return {
        id,
        concurrency: given.concurrency ?? 4,
        timeoutMs: given.timeoutMs ?? 1000,
        handle: given.handle ?? (() => undefined),
        ...(given.batch ? { batch: given.batch } : {}),
      };
    });
    const d = new Dispatcher({
      outbox: over.outbox ?? x.outbox,
      targets: list,
      policy: over.policy ?? policy,
      workerId,
      leaseMs: 2000,
      pollMs: over.pollMs ?? 20,
      now: Date.now,
      random: () => 0.5,
      logger: pino({ level: 'silent' }),
      onAttempt: (r) => reports.push(r),
    });
    running.push(d);
    d.start();
    return d;
  }
  const enqueue = (key: string, target: string) => x.addRow(x.addEvent({ key }), target);
  /** The outbox, each claim's row count (when not empty) pushed to `claimed`, `overrides` in place of its methods. */
  const claimsCounted = (claimed: number[], overrides: Partial<Outbox> = {}): Outbox =>
    new Proxy(x.outbox, {
      get(o, key: keyof Outbox) {
        if (key === 'claimDue')
          return async (...a: Parameters<Outbox['claimDue']>) => {
            const rows = await o.claimDue(...a);
            if (rows.length > 0) claimed.push(rows.length);
            return rows;
          };
        const own = overrides[key];
        if (own !== undefined) return own;
        const v = o[key];
        return typeof v === 'function' ? v.bind(o) : v;
      },
    });
  /** A row a graceful stop handed back: pending, unleased and due at once. */
  const assertHandedBack = (id: number, stoppedAt: number) => {
    const r = x.row(id);
    assert.equal(r['state'], 'pending', `row ${id} stays pending`);
    assert.equal(r['lease_owner'], null, `row ${id} is released`);
    assert.ok(
      (r['next_attempt_at'] as number) <= Date.now(),
      `row ${id} is due ${(r['next_attempt_at'] as number) - stoppedAt} ms after the stop`,
    );
  };

  test('a handler failing twice then succeeding is called three times, with the same key', async () => {
    const calls: Array<{ key: string; attempt: number; ctxKey: string }> = [];
    const row = enqueue('k1', 'flaky');
    start({
      flaky: (e, ctx) => {
        calls.push({ key: e.key, attempt: ctx.attempt, ctxKey: ctx.idempotencyKey });
        if (calls.length < 3) throw new Error(`fail ${calls.length}`);
      },
    });
    await waitFor('delivered', () => x.row(row)['state'] === 'delivered');
    assert.deepEqual(
      calls,
      [1, 2, 3].map((attempt) => ({ key: 'k1', attempt, ctxKey: 'k1' })),
    );
    assert.equal(x.row(row)['attempts'], 3);
    assert.deepEqual(
      reports.map((r) => r.outcome),
      ['retry', 'retry', 'delivered'],
    );
  });

  test('always failing ends as a dead letter after the maximum, then succeeds on replay once fixed', async () => {
    let fixed = false;
    let calls = 0;
    const row = enqueue('k1', 'broken');
    const d = start({
      broken: () => {
        calls++;
        if (!fixed) return Promise.reject(new Error('downstream is down'));
      },
    });
    await waitFor('dead letter', () => x.row(row)['state'] === 'dead');
    assert.equal(calls, policy.maxAttempts);
    const dead = await x.outbox.listDeadLetters({ limit: 10 });
    assert.equal(dead.data.length, 1);
    assert.match(dead.data[0]?.lastError ?? '', /downstream is down.*gave up after 3 attempts/);
    fixed = true;
    assert.equal((await x.outbox.replayDeadLetter(String(row), Date.now())).outcome, 'replayed');
    d.wake();
    await waitFor('delivered after replay', () => x.row(row)['state'] === 'delivered');
    assert.equal(calls, policy.maxAttempts + 1);
    assert.equal(x.row(row)['attempts'], 1, 'attempts start again after a replay');
  });

  test('DontRetryError makes a dead letter at once; RetryAfterError sets the next attempt', async () => {
    const refused = enqueue('k1', 'refuses');
    const later = enqueue('k2', 'throttled');
    let refusedCalls = 0;
    const before = Date.now();
    start({
      refuses: () => {
        refusedCalls++;
        throw new DontRetryError('invalid phone number');
      },
      throttled: () => {
        throw new RetryAfterError(60_000);
      },
    });
    await waitFor('both attempted', () => reports.length >= 2);
    await waitFor('recorded', () => x.row(later)['attempts'] === 1);
    assert.equal(x.row(refused)['state'], 'dead');
    assert.equal(refusedCalls, 1);
    assert.match(
      String(x.row(refused)['last_error']),
      /DontRetryError: invalid phone number \(not retried\)/,
    );
    const next = x.row(later)['next_attempt_at'] as number;
    assert.ok(next >= before + 60_000 && next <= Date.now() + 60_000, `${next - before}`);
    assert.equal(x.row(later)['state'], 'pending');
  });

  test('one target timing out on every event never delays another target', async () => {
    const fastRows: number[] = [];
    const stuckRows: number[] = [];
    for (let i = 0; i < 20; i++) {
      stuckRows.push(enqueue(`s${i}`, 'stuck'));
      fastRows.push(enqueue(`f${i}`, 'fast'));
    }
    const fastSeen: string[] = [];
    start({
      stuck: { handle: () => new Promise(() => {}), timeoutMs: 400, concurrency: 2 },
      fast: { handle: (e: AnyWharfEvent) => void fastSeen.push(e.key), concurrency: 4 },
    });
    await waitFor('all fast events', () => fastSeen.length === 20, 2000);
    assert.equal(
      reports.filter((r) => r.target === 'stuck').length,
      0,
      'every fast event arrived before the stuck target’s first attempt even timed out',
    );
    assert.deepEqual([...fastSeen].sort(), fastRows.map((_, i) => `f${i}`).sort());
    await waitFor('stuck timeouts recorded', () => reports.some((r) => r.target === 'stuck'));
    const stuck = reports.find((r) => r.target === 'stuck');
    assert.equal(stuck?.outcome, 'retry');
    assert.match(String((stuck?.error as Error).message), /did not finish within 400 ms/);
    assert.ok(
      stuckRows.every((id) => x.row(id)['state'] === 'pending'),
      'the stuck target keeps its rows for later',
    );
  });

  test('at least once across a restart: a row held by a stopped worker is handled by the next one', async () => {
    const row = enqueue('k1', 'h');
    let firstSawIt = false;
    const first = start({
      h: () => {
        firstSawIt = true;
        return new Promise(() => {});
      },
    });
    await waitFor('first attempt running', () => firstSawIt);
    await first.stop(10);
    assert.equal(x.row(row)['state'], 'pending');
    const seen: string[] = [];
    start({ h: (e: AnyWharfEvent) => void seen.push(e.key) }, 'w2');
    await waitFor('delivered by the second worker', () => x.row(row)['state'] === 'delivered');
    assert.deepEqual(seen, ['k1']);
  });

  test('a row leased by a crashed worker is picked up when its lease expires', async () => {
    const row = enqueue('k1', 'h');
    const crashed = await x.outbox.claimDue({
      workerId: 'crashed',
      perTarget: [{ target: 'h', limit: 1 }],
      leaseMs: 150,
      now: Date.now(),
    });
    assert.equal(crashed.length, 1);
    const seen: number[] = [];
    start({ h: () => void seen.push(Date.now()) });
    await waitFor('delivered after the lease', () => x.row(row)['state'] === 'delivered');
    assert.equal(seen.length, 1);
  });

  test('a handler sees only its own target’s rows; concurrency per target is respected', async () => {
    for (let i = 0; i < 12; i++) enqueue(`a${i}`, 'a');
    enqueue('b0', 'b');
    let inFlight = 0;
    let peak = 0;
    const seenA: string[] = [];
    start({
      a: {
        concurrency: 3,
        handle: async (e: AnyWharfEvent) => {
          seenA.push(e.key);
          peak = Math.max(peak, ++inFlight);
          await new Promise((r) => setTimeout(r, 10));
          inFlight--;
        },
      },
      b: () => undefined,
    });
    await waitFor('all a delivered', () => seenA.length === 12);
    assert.ok(!seenA.includes('b0'));
    assert.equal(peak, 3);
  });

  test('a handler rejecting with a value that has no string form is a failed attempt like any other, described in last_error', async () => {
    const row = enqueue('k1', 'odd');
    let calls = 0;
    start({
      odd: () => {
        calls++;
        const reason: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
        reason['status'] = 503;
        return Promise.reject(reason);
      },
    });
    await waitFor('dead letter', () => x.row(row)['state'] === 'dead');
    assert.equal(calls, policy.maxAttempts);
    assert.match(String(x.row(row)['last_error']), /status: 503.*gave up after 3 attempts/);
    assert.deepEqual(
      reports.map((r) => r.outcome),
      ['retry', 'retry', 'dead'],
    );
  });

  test('an attempt cut short by a graceful stop is due again at once and never becomes a dead letter, even on its last attempt', async () => {
    const slow = { ...DEFAULT_RETRY_POLICY, maxAttempts: 3 };
    const rows = [enqueue('k1', 'h'), enqueue('k2', 'h')];
    x.db.prepare('UPDATE outbox SET attempts = 2 WHERE id = ?').run(rows[1]);
    let started = 0;
    const first = start(
      {
        h: () => {
          started++;
          return new Promise(() => {});
        },
      },
      'w1',
      { policy: slow },
    );
    await waitFor('both attempts running', () => started === 2);
    const stoppedAt = Date.now();
    await first.stop(10);
    for (const id of rows) {
      assertHandedBack(id, stoppedAt);
      assert.match(String(x.row(id)['last_error']), /interrupted by shutdown/);
    }
    const seen: string[] = [];
    start({ h: (e: AnyWharfEvent) => void seen.push(e.key) }, 'w2', { policy: slow });
    await waitFor('both delivered', () => rows.every((id) => x.row(id)['state'] === 'delivered'));
    assert.deepEqual(seen.sort(), ['k1', 'k2']);
  });

  test('a graceful stop hands back the rows leased but not started: they are due at once for the next worker, attempts unchanged', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => enqueue(`q${i}`, 'bus'));
    let batches = 0;
    const first = start({
      bus: {
        concurrency: 1,
        batch: {
          size: 10,
          handle: () => {
            batches++;
            return new Promise(() => {});
          },
        },
      },
    });
    await waitFor('the first batch running', () => batches === 1);
    const stoppedAt = Date.now();
    await first.stop(10);
    for (const id of rows) assertHandedBack(id, stoppedAt);
    const tried = rows.filter((id) => x.row(id)['attempts'] === 1).length;
    assert.equal(tried, 10, 'only the batch that ran counts an attempt');
    assert.equal(batches, 1);
  });

  test('stop() returns only once every outcome of the grace period is recorded, even while an earlier record is still being written', async () => {
    const slowWrites: Outbox = Object.create(x.outbox) as Outbox;
    slowWrites.markDelivered = async (...args) => {
      await new Promise((r) => setTimeout(r, 200));
      return x.outbox.markDelivered(...args);
    };
    const quick = enqueue('k1', 'h');
    const stuck = enqueue('k2', 'h');
    let quickDone = false;
    let stuckStarted = false;
    const d = start(
      {
        h: (e: AnyWharfEvent) => {
          if (e.key === 'k1') {
            quickDone = true;
            return;
          }
          stuckStarted = true;
          return new Promise(() => {});
        },
      },
      'w1',
      { outbox: slowWrites },
    );
    await waitFor('both attempts started', () => quickDone && stuckStarted);
    await new Promise((r) => setImmediate(r));
    await d.stop(20);
    assert.equal(x.row(quick)['state'], 'delivered');
    assert.equal(x.row(stuck)['lease_owner'], null, 'the interrupted row is released before stop() returns');
    assert.equal(x.row(stuck)['attempts'], 1);
  });

  test('a batch target gets up to its batch size of rows per attempt, at most `concurrency` attempts at once, each row with its own outcome (claims and marks through the dispatch writer thread)', async () => {
    const outbox = new ThreadedOutbox(x.path, new DispatchThread(x.path));
    const rows = Array.from({ length: 25 }, (_, i) => enqueue(`k${i}`, 'bus'));
    const sizes: number[] = [];
    const seen: string[] = [];
    let active = 0;
    let mostActive = 0;
    const failedOnce = new Set<string>();
    try {
      start(
        {
          bus: {
            concurrency: 1,
            batch: {
              size: 10,
              async handle(batch) {
                active++;
                mostActive = Math.max(mostActive, active);
                sizes.push(batch.length);
                await new Promise((r) => setTimeout(r, 5));
                active--;
                return batch.map((row) => {
                  seen.push(row.event.key);
                  // k3 is refused once by the receiver; the rest of its batch is delivered.
                  if (row.event.key !== 'k3' || failedOnce.has('k3')) return { ok: true as const };
                  failedOnce.add('k3');
                  return { ok: false as const, error: new Error('refused k3') };
                });
              },
            },
          },
        },
        'w1',
        { outbox },
      );
      // The outcome is reported once the writer thread confirms the mark, which can be a moment after
      // the row reads as delivered: wait for both.
      await waitFor(
        'every row delivered and reported',
        () =>
          rows.every((id) => x.row(id)['state'] === 'delivered') &&
          reports.filter((r) => r.outcome === 'delivered').length >= 25,
      );
      assert.equal(mostActive, 1, 'one attempt at once (concurrency 1)');
      assert.ok(
        sizes.every((n) => n >= 1 && n <= 10),
        `batches of at most 10 rows: ${sizes.join(', ')}`,
      );
      assert.ok(sizes[0]! > 1, 'rows queued together go in one attempt');
      assert.equal(seen.filter((k) => k === 'k3').length, 2, 'the refused row is tried again');
      assert.equal(seen.length, 26, 'every other row exactly once');
      assert.equal(x.row(rows[3]!)['attempts'], 2);
      assert.equal(x.row(rows[4]!)['attempts'], 1);
      const k3 = reports.filter((r) => r.event.key === 'k3').map((r) => r.outcome);
      assert.deepEqual(k3, ['retry', 'delivered']);
      assert.equal(reports.filter((r) => r.outcome === 'delivered').length, 25);
    } finally {
      for (const d of running.splice(0)) await d.stop(0);
      await outbox.close();
    }
  });

  test('a backlog is claimed ahead of its batch target: the next rows are claimed as its queue runs low (under two rounds), before any outcome of the rows ahead is written', async () => {
    // 1,050 rows, one attempt of 100 at once (a round of 100): the first claim takes 1,000 rows.
    for (let i = 0; i < 1050; i++) enqueue(`b${i}`, 'bus');
    let release: () => void = () => undefined;
    const writes = new Promise<void>((r) => (release = r));
    const claimed: number[] = [];
    let marked = 0;
    // Outcome writes wait until the test lets them through; the outbox's clock never wakes the
    // dispatcher (pollMs of a minute): only the dispatcher's own prefetch can claim the last 50 rows.
    const held = claimsCounted(claimed, {
      markDelivered: async (...a: Parameters<Outbox['markDelivered']>) => {
        await writes;
        marked += a[1].length;
        return x.outbox.markDelivered(...a);
      },
    });
    const seen = new Set<string>();
    start(
      {
        bus: {
          concurrency: 1,
          batch: {
            size: 100,
            handle: async (batch) =>
              batch.map((row) => {
                seen.add(row.event.key);
                return { ok: true as const };
              }),
          },
        },
      },
      'w1',
      { outbox: held, pollMs: 60_000 },
    );
    try {
      await waitFor('every row handed to the target', () => seen.size === 1050);
      assert.equal(marked, 0, 'no outcome written yet');
      assert.deepEqual(claimed, [1000, 50], 'a full window, then the rest while the last round ran');
    } finally {
      release();
    }
    await waitFor(
      'every row delivered',
      () => x.db.prepare(`SELECT count(*) FROM outbox WHERE state = 'delivered'`).pluck().get() === 1050,
    );
  });

  test('a backlog is claimed in claims of at least one round of the target (max_in_flight × batch size), not in slivers as each attempt ends', async () => {
    for (let i = 0; i < 4500; i++) enqueue(`c${i}`, 'bus');
    const claimed: number[] = [];
    const counted = claimsCounted(claimed);
    start(
      {
        bus: {
          concurrency: 10,
          batch: {
            size: 100,
            handle: async (batch) => {
              await new Promise((r) => setTimeout(r, 2));
              return batch.map(() => ({ ok: true as const }));
            },
          },
        },
      },
      'w1',
      { outbox: counted, pollMs: 60_000 },
    );
    await waitFor(
      'every row delivered',
      () => x.db.prepare(`SELECT count(*) FROM outbox WHERE state = 'delivered'`).pluck().get() === 4500,
    );
    assert.equal(
      claimed.reduce((a, b) => a + b, 0),
      4500,
      `each row claimed once: ${claimed.join(', ')}`,
    );
    assert.equal(claimed[0], 2000, 'the first claim is capped at 2,000 rows');
    assert.ok(
      claimed.slice(0, -1).every((n) => n >= 1000),
      `every claim but the last takes a round or more: ${claimed.join(', ')}`,
    );
  });
});
