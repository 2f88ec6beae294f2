/**
 * The behaviours every Outbox adapter must have (src/ports/outbox.ts): due claims with fair
 * per-target shares and leases, outcomes recorded only by the lease holder, dead letters with
 * cursor pages and replay, replay of deliveries, orphan targets. Ported from the SQLite outbox tests.
 */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Outbox } from '../../src/ports/outbox.js';

/** An outbox over migrated storage, with direct writes to put rows in the state a test needs. */
export interface OutboxFixture {
  readonly outbox: Outbox;
  addDelivery(receivedAt: number, state?: string): Promise<number>;
  addEvent(e: {
    key: string;
    name?: string;
    deliveryId?: number;
    phoneNumberId?: string;
    /** null: an event without a contact. */
    waId?: string | null;
    occurredAt?: number;
  }): Promise<number>;
  addRow(eventId: number, target: string, opts?: { state?: string; nextAttemptAt?: number }): Promise<number>;
  /** The raw outbox row (snake_case columns). */
  row(id: number): Promise<Record<string, unknown>>;
  deliveryState(id: number): Promise<string>;
  dispose(): Promise<void>;
}

export type MakeOutbox = (now: number) => Promise<OutboxFixture>;

const T0 = 1_767_225_600_000;

export function outboxConformance(name: string, make: MakeOutbox, o: { timeoutMs?: number } = {}): void {
  describe(`Outbox conformance: ${name}`, { timeout: o.timeoutMs ?? 30_000 }, () => {
    let x: OutboxFixture;
    beforeEach(async () => {
      x = await make(T0);
    });
    afterEach(() => x.dispose());

    const claim = (perTarget: Record<string, number>, now = T0, workerId = 'w1') =>
      x.outbox.claimDue({
        workerId,
        perTarget: Object.entries(perTarget).map(([target, limit]) => ({ target, limit })),
        leaseMs: 1000,
        now,
      });

    test('claims due rows with their full event, and not the ones due later', async () => {
      const d = await x.addDelivery(T0);
      const e = await x.addEvent({ key: 'k1', deliveryId: d, waId: '447700900123' });
      const due = await x.addRow(e, 'a');
      await x.addRow(await x.addEvent({ key: 'k2' }), 'a', { nextAttemptAt: T0 + 5000 });
      const rows = await claim({ a: 10 });
      assert.equal(rows.length, 1);
      const r = rows[0];
      assert.equal(r?.id, String(due));
      assert.equal(r?.attempts, 0);
      assert.equal(r?.event.key, 'k1');
      assert.equal(r?.event.name, 'message.text');
      assert.equal(r?.event.wabaId, 'waba-1');
      assert.equal(r?.event.phoneNumberId, '900000000000001');
      assert.deepEqual(r?.event.contact, { waId: '447700900123' });
      assert.deepEqual(r?.event.data, { text: { body: 'hello k1' } });
      assert.deepEqual(r?.event.raw, { id: 'wamid.k1', type: 'text' });
      assert.equal(await x.outbox.nextDueAt(['a']), T0 + 1000, 'leased row reappears at lease end');
    });

    test('a leased row is not claimed again until its lease expires', async () => {
      await x.addRow(await x.addEvent({ key: 'k1' }), 'a');
      assert.equal((await claim({ a: 10 })).length, 1);
      assert.equal((await claim({ a: 10 }, T0 + 999, 'w2')).length, 0);
      const again = await claim({ a: 10 }, T0 + 1000, 'w2');
      assert.equal(again.length, 1, 'a crashed worker’s row is reclaimed');
    });

    test('each target gets its own share: a backlog for one does not crowd out another', async () => {
      for (let i = 0; i < 50; i++) await x.addRow(await x.addEvent({ key: `a${i}` }), 'slow');
      await x.addRow(await x.addEvent({ key: 'b0' }), 'fast');
      await x.addRow(await x.addEvent({ key: 'b1' }), 'fast');
      const rows = await claim({ slow: 3, fast: 3, other: 0 });
      assert.equal(rows.filter((r) => r.target === 'slow').length, 3);
      assert.equal(rows.filter((r) => r.target === 'fast').length, 2);
      assert.equal((await claim({ slow: 0, fast: 3 })).length, 0);
    });

    test('outcomes: delivered, retry and dead, only by the worker holding the lease', async () => {
      const ids: number[] = [];
      for (const k of ['k1', 'k2', 'k3']) ids.push(await x.addRow(await x.addEvent({ key: k }), 'a'));
      await claim({ a: 10 });
      await x.outbox.markDelivered('intruder', [String(ids[0])], T0);
      assert.equal((await x.row(ids[0] as number))['state'], 'pending', 'not the lease owner');
      await x.outbox.markDelivered('w1', [String(ids[0])], T0 + 1);
      await x.outbox.markFailed(
        'w1',
        [
          { id: String(ids[1]), kind: 'retry', error: 'Error: boom', retryAt: T0 + 700, delayMs: 700 },
          { id: String(ids[2]), kind: 'dead', error: 'DontRetryError: bad' },
        ],
        T0 + 2,
      );
      assert.deepEqual(pick(await x.row(ids[0] as number)), {
        state: 'delivered',
        attempts: 1,
        lease_owner: null,
      });
      const retry = await x.row(ids[1] as number);
      assert.deepEqual(pick(retry), { state: 'pending', attempts: 1, lease_owner: null });
      assert.equal(retry['next_attempt_at'], T0 + 700);
      assert.equal(retry['last_delay_ms'], 700);
      assert.equal(retry['last_error'], 'Error: boom');
      const dead = await x.row(ids[2] as number);
      assert.deepEqual(pick(dead), { state: 'dead', attempts: 1, lease_owner: null });
      assert.equal(dead['dead_at'], T0 + 2);
      assert.deepEqual(await x.outbox.depth(), { pending: 1, dead: 1 });
    });

    test('dead letters: newest first, paged by cursor, filtered by target; replay puts one back', async () => {
      const ids: number[] = [];
      for (let i = 0; i < 5; i++)
        ids.push(await x.addRow(await x.addEvent({ key: `k${i}` }), i % 2 ? 'b' : 'a', { state: 'dead' }));
      const p1 = await x.outbox.listDeadLetters({ limit: 2 });
      assert.deepEqual(
        p1.data.map((r) => r.id),
        [ids[4], ids[3]].map(String),
      );
      assert.equal(p1.total, 5);
      assert.ok(p1.nextCursor);
      const p2 = await x.outbox.listDeadLetters({ limit: 10, cursor: p1.nextCursor ?? '' });
      assert.deepEqual(
        p2.data.map((r) => r.id),
        [ids[2], ids[1], ids[0]].map(String),
      );
      assert.equal(p2.nextCursor, null);
      const b = await x.outbox.listDeadLetters({ limit: 10, target: 'b' });
      assert.deepEqual(
        b.data.map((r) => [r.target, r.eventKey]),
        [
          ['b', 'k3'],
          ['b', 'k1'],
        ],
      );
      await assert.rejects(x.outbox.listDeadLetters({ limit: 1, cursor: 'nope!' }), RangeError);

      const replayed = await x.outbox.replayDeadLetter(String(ids[0]), T0 + 50);
      assert.equal(replayed.outcome, 'replayed');
      assert.ok(replayed.outcome === 'replayed' && replayed.row.state === 'pending');
      assert.equal((await x.row(ids[0] as number))['next_attempt_at'], T0 + 50);
      assert.equal((await x.outbox.replayDeadLetter(String(ids[0]), T0)).outcome, 'not_dead');
      assert.equal((await x.outbox.replayDeadLetter('999999', T0)).outcome, 'not_found');
      assert.equal((await x.outbox.replayDeadLetter('abc', T0)).outcome, 'not_found');
    });

    test('replay of deliveries: rederive re-marks them, redeliver also re-enqueues their rows', async () => {
      const d1 = await x.addDelivery(T0 - 10_000);
      const d2 = await x.addDelivery(T0 - 5_000);
      const busy = await x.addDelivery(T0 - 4_000, 'processing');
      const e1 = await x.addEvent({ key: 'k1', deliveryId: d1 });
      const e2 = await x.addEvent({ key: 'k2', deliveryId: d2 });
      const r1 = await x.addRow(e1, 'a', { state: 'delivered' });
      const r1b = await x.addRow(e1, 'b', { state: 'dead' });
      const r2 = await x.addRow(e2, 'a', { state: 'delivered' });

      const only = await x.outbox.requeueForDeliveries([String(d1)], 'rederive', T0);
      assert.deepEqual(only, { deliveries: 1, outboxRows: 0 });
      assert.equal(await x.deliveryState(d1), 'pending');
      assert.equal((await x.row(r1))['state'], 'delivered');

      const again = await x.outbox.requeueForDeliveries([String(d1), '424242'], 'redeliver', T0 + 1);
      assert.deepEqual(again, { deliveries: 1, outboxRows: 2 });
      for (const id of [r1, r1b]) {
        assert.deepEqual(pick(await x.row(id)), { state: 'pending', attempts: 0, lease_owner: null });
        assert.equal((await x.row(id))['next_attempt_at'], T0 + 1);
      }
      assert.equal((await x.row(r2))['state'], 'delivered', 'other deliveries untouched');

      const range = await x.outbox.replayRange(T0 - 6_000, T0, 'redeliver', T0 + 2);
      assert.deepEqual(range, { deliveries: 2, outboxRows: 1 });
      assert.equal(await x.deliveryState(d2), 'pending');
      assert.equal(await x.deliveryState(busy), 'processing', 'a delivery being processed is left to finish');
      assert.equal((await x.row(r2))['state'], 'pending');
    });

    test('ordering contact: one row per contact at a time, in occurrence order; other contacts and contactless rows are not held back', async () => {
      const t = 'destination:ordered';
      const a2 = await x.addRow(await x.addEvent({ key: 'a2', waId: '111', occurredAt: T0 + 2 }), t);
      const a1 = await x.addRow(await x.addEvent({ key: 'a1', waId: '111', occurredAt: T0 + 1 }), t);
      const b1 = await x.addRow(await x.addEvent({ key: 'b1', waId: '222', occurredAt: T0 + 3 }), t);
      const n1 = await x.addRow(await x.addEvent({ key: 'n1', waId: null, occurredAt: T0 + 4 }), t);
      const n2 = await x.addRow(await x.addEvent({ key: 'n2', waId: null, occurredAt: T0 + 5 }), t);
      const ordered = (now: number) =>
        x.outbox.claimDue({
          workerId: 'w1',
          perTarget: [{ target: t, limit: 10, ordering: 'contact' }],
          leaseMs: 1000,
          now,
        });
      const first = (await ordered(T0)).map((r) => Number(r.id)).sort((p, q) => p - q);
      assert.deepEqual(
        first,
        [a1, b1, n1, n2].sort((p, q) => p - q),
        'the earliest of contact 111 only',
      );
      // The head fails and waits for its retry: the contact's later event still waits behind it.
      await x.outbox.markFailed(
        'w1',
        [{ id: String(a1), kind: 'retry', error: 'boom', retryAt: T0 + 5000, delayMs: 5000 }],
        T0,
      );
      await x.outbox.markDelivered('w1', [String(b1), String(n1), String(n2)], T0);
      assert.deepEqual(await ordered(T0 + 10), [], 'a2 waits while a1 is not delivered');
      const retried = await ordered(T0 + 5000);
      assert.deepEqual(
        retried.map((r) => Number(r.id)),
        [a1],
      );
      await x.outbox.markDelivered('w1', [String(a1)], T0 + 5000);
      assert.deepEqual(
        (await ordered(T0 + 5000)).map((r) => Number(r.id)),
        [a2],
      );
    });

    test('postpone hands a leased row back, due at the given time, without counting an attempt', async () => {
      const id = String(await x.addRow(await x.addEvent({ key: 'p1' }), 'a'));
      assert.equal((await claim({ a: 10 })).length, 1);
      await x.outbox.postpone('intruder', [{ id, until: T0 + 3000 }], T0);
      assert.equal(
        Number((await x.row(Number(id)))['next_attempt_at']),
        T0 + 1000,
        'not the lease holder: unchanged',
      );
      await x.outbox.postpone('w1', [{ id, until: T0 + 3000 }], T0);
      const r = await x.row(Number(id));
      assert.equal(Number(r['next_attempt_at']), T0 + 3000);
      assert.equal(Number(r['attempts']), 0);
      assert.equal(r['lease_owner'], null);
      assert.equal((await claim({ a: 10 }, T0 + 2999)).length, 0);
      const again = await claim({ a: 10 }, T0 + 3000, 'w2');
      assert.equal(again[0]?.attempts, 0, 'the next attempt is still the first');
    });

    test('a delivered row with coverage supersedes the same contact’s pending rows whose wamids its body carried, on its phone number only', async () => {
      const t = 'destination:conversation';
      const row = async (key: string, o: { waId?: string; phoneNumberId?: string } = {}) =>
        String(await x.addRow(await x.addEvent({ key, waId: o.waId ?? '111', ...o, occurredAt: T0 }), t));
      const head = await row('c1');
      const covered = await row('c2');
      const notCarried = await row('c3');
      const otherContact = await row('c4', { waId: '222' });
      const otherNumber = await row('c5', { phoneNumberId: '900000000000002' });
      const otherTarget = String(await x.addRow(await x.addEvent({ key: 'c6', waId: '111' }), 'other'));
      const claimed = await x.outbox.claimDue({
        workerId: 'w1',
        perTarget: [{ target: t, limit: 10, ordering: 'contact' }],
        leaseMs: 1000,
        now: T0,
      });
      assert.ok(claimed.some((r) => r.id === head));
      const wamids = ['wamid.c1', 'wamid.c2', 'wamid.c4', 'wamid.c5', 'wamid.c6'];
      await x.outbox.markDelivered('w1', [head], T0 + 1, [{ rowId: head, wamids }]);
      const state = async (id: string) => (await x.row(Number(id)))['state'];
      assert.equal(await state(head), 'delivered');
      assert.equal(await state(covered), 'delivered', 'carried by the body: superseded');
      assert.equal(Number((await x.row(Number(covered)))['attempts']), 0, 'superseded, not attempted');
      assert.equal(await state(notCarried), 'pending', 'not in the body: still to send');
      assert.equal(await state(otherContact), 'pending');
      assert.equal(await state(otherNumber), 'pending', 'another number is another conversation');
      assert.equal(await state(otherTarget), 'pending');
    });

    test('without ordering every due row of the target is claimed at once', async () => {
      const t = 'destination:unordered';
      await x.addRow(await x.addEvent({ key: 'u2', waId: '111', occurredAt: T0 + 2 }), t);
      await x.addRow(await x.addEvent({ key: 'u1', waId: '111', occurredAt: T0 + 1 }), t);
      assert.equal((await claim({ [t]: 10 })).length, 2);
    });

    test('orphan targets are the pending rows no registered handler will claim', async () => {
      await x.addRow(await x.addEvent({ key: 'k1' }), 'gone');
      await x.addRow(await x.addEvent({ key: 'k2' }), 'gone');
      await x.addRow(await x.addEvent({ key: 'k3' }), 'here');
      assert.deepEqual(await x.outbox.orphanTargets(['here']), [{ target: 'gone', pending: 2 }]);
    });
  });
}

function pick(r: Record<string, unknown>) {
  return { state: r['state'], attempts: r['attempts'], lease_owner: r['lease_owner'] };
}
