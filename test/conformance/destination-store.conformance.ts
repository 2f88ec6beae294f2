/**
 * The behaviours every DestinationStore adapter must have (src/ports/destination-store.ts):
 * create / read / change / delete with unique names, secrets and rotation, disabling and the failing
 * clock, the attempt log paged newest first, replay writes and Wharf's own events.
 */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DestinationNameTaken,
  destinationTarget,
  type DestinationStore,
  type NewAttempt,
  type NewDestination,
} from '../../src/ports/destination-store.js';
import type { AnyWharfEvent } from '../../src/events/wharf-event.js';

export interface DestinationStoreFixture {
  readonly store: DestinationStore;
  addEvent(e: { key: string; occurredAt: number; waId?: string }): Promise<number>;
  /** Outbox rows of a target: event id, state, attempts, contact key. */
  rows(
    target: string,
  ): Promise<Array<{ event_id: number; state: string; attempts: number; contact_key: string | null }>>;
  setRowState(target: string, eventId: number, state: string): Promise<void>;
  dispose(): Promise<void>;
}

export type MakeDestinationStore = (now: number) => Promise<DestinationStoreFixture>;

const T0 = 1_767_225_600_000;

const sample = (over: Partial<NewDestination> = {}): NewDestination => ({
  id: 'dst_1',
  name: 'crm',
  kind: 'http',
  enabled: true,
  filter: { events: ['message.'], phoneNumberIds: ['900'] },
  format: 'event',
  settings: { url: 'https://crm.example/hook', headers: { 'x-a': 'b' } },
  timeoutMs: 10_000,
  maxInFlight: 10,
  rateLimitPerSecond: null,
  ordering: 'none',
  batchWindowMs: 0,
  transform: null,
  secret: 'whsec_first',
  ...over,
});

const attempt = (n: number, over: Partial<NewAttempt> = {}): NewAttempt => ({
  destinationId: 'dst_1',
  outboxId: String(n),
  eventId: String(n),
  eventName: 'message.text',
  attempt: n,
  ok: n % 2 === 0,
  status: n % 2 === 0 ? 200 : 503,
  durationMs: 12.4,
  error: n % 2 === 0 ? null : 'HTTP 503',
  responseExcerpt: 'busy',
  bodyExcerpt: n === 5 ? '{"records":[{"fields":{"Name":"Ana"}}]}' : null,
  at: T0 + n,
  ...over,
});

export function destinationStoreConformance(name: string, make: MakeDestinationStore): void {
  describe(`DestinationStore conformance: ${name}`, { timeout: 30_000 }, () => {
    let x: DestinationStoreFixture;
    beforeEach(async () => {
      x = await make(T0);
    });
    afterEach(() => x.dispose());

    test('create, read by id and by name, list, and every field comes back as given', async () => {
      const d = await x.store.create(
        sample({
          rateLimitPerSecond: 2.5,
          ordering: 'contact',
          transform: '$',
          format: 'conversation',
          batchWindowMs: 3000,
        }),
        T0,
      );
      assert.equal(d.id, 'dst_1');
      assert.deepEqual(d.filter, { events: ['message.'], phoneNumberIds: ['900'] });
      assert.deepEqual(d.settings, { url: 'https://crm.example/hook', headers: { 'x-a': 'b' } });
      assert.equal(d.rateLimitPerSecond, 2.5);
      assert.equal(d.ordering, 'contact');
      assert.equal(d.transform, '$');
      assert.equal(d.format, 'conversation');
      assert.equal(d.batchWindowMs, 3000);
      assert.equal(d.enabled, true);
      assert.equal(d.disabledReason, null);
      assert.equal(d.createdAt, T0);
      assert.deepEqual(await x.store.get('dst_1'), d);
      assert.deepEqual(await x.store.getByName('crm'), d);
      await x.store.create(sample({ id: 'dst_2', name: 'other' }), T0 + 1);
      assert.deepEqual(
        (await x.store.list()).map((e) => e.name),
        ['crm', 'other'],
      );
      assert.equal(await x.store.get('nope'), null);
    });

    test('a name is unique: creating or renaming to a used name throws DestinationNameTaken', async () => {
      await x.store.create(sample(), T0);
      await assert.rejects(x.store.create(sample({ id: 'dst_2' }), T0), DestinationNameTaken);
      await x.store.create(sample({ id: 'dst_2', name: 'two' }), T0);
      await assert.rejects(x.store.update('dst_2', { name: 'crm' }, T0), DestinationNameTaken);
    });

    test('update changes only the given fields; enabling again clears the disabled reason', async () => {
      await x.store.create(sample(), T0);
      const u = await x.store.update('dst_1', { maxInFlight: 3, filter: {} }, T0 + 5);
      assert.equal(u?.maxInFlight, 3);
      assert.deepEqual(u?.filter, {});
      assert.equal(u?.timeoutMs, 10_000);
      assert.equal(u?.updatedAt, T0 + 5);
      assert.equal(await x.store.update('nope', { maxInFlight: 1 }, T0), null);
      assert.equal(await x.store.disable('dst_1', 'the receiver answered 410 Gone', T0 + 6), true);
      assert.equal(await x.store.disable('dst_1', 'again', T0 + 7), false, 'already disabled');
      const off = await x.store.get('dst_1');
      assert.equal(off?.enabled, false);
      assert.equal(off?.disabledReason, 'the receiver answered 410 Gone');
      const on = await x.store.update('dst_1', { enabled: true }, T0 + 8);
      assert.equal(on?.enabled, true);
      assert.equal(on?.disabledReason, null);
    });

    test('secrets: rotation keeps the old one as previous until the grace period ends', async () => {
      await x.store.create(sample(), T0);
      assert.deepEqual(await x.store.secrets('dst_1'), {
        current: 'whsec_first',
        previous: null,
        previousUntil: null,
      });
      assert.equal(await x.store.rotateSecret('dst_1', 'whsec_second', T0 + 1000, T0), true);
      assert.deepEqual(await x.store.secrets('dst_1'), {
        current: 'whsec_second',
        previous: 'whsec_first',
        previousUntil: T0 + 1000,
      });
      assert.equal(await x.store.rotateSecret('nope', 's', 0, T0), false);
      assert.equal(await x.store.secrets('nope'), null);
    });

    test('the failing clock starts at the first failure, is kept by later ones and stops at a success', async () => {
      await x.store.create(sample(), T0);
      await x.store.create(sample({ id: 'dst_2', name: 'two' }), T0);
      await x.store.noteOutcomes([], ['dst_1', 'dst_2'], T0 + 10);
      await x.store.noteOutcomes([], ['dst_1'], T0 + 20);
      await x.store.markFailingNotified('dst_1', T0 + 30);
      assert.deepEqual(await x.store.failing(), [
        { id: 'dst_1', name: 'crm', failingSince: T0 + 10, notifiedAt: T0 + 30 },
        { id: 'dst_2', name: 'two', failingSince: T0 + 10, notifiedAt: null },
      ]);
      await x.store.noteOutcomes(['dst_1'], [], T0 + 40);
      assert.deepEqual(
        (await x.store.failing()).map((f) => f.id),
        ['dst_2'],
      );
      await x.store.disable('dst_2', 'failing', T0 + 50);
      assert.deepEqual(await x.store.failing(), [], 'a disabled destination is not watched');
    });

    test('the attempt log is newest first and paged by cursor', async () => {
      await x.store.create(sample(), T0);
      await x.store.recordAttempts([1, 2, 3, 4, 5].map((n) => attempt(n)));
      await x.store.recordAttempts([attempt(9, { destinationId: 'dst_other' })]);
      const p1 = await x.store.listAttempts('dst_1', { limit: 2 });
      assert.deepEqual(
        p1.data.map((a) => a.attempt),
        [5, 4],
      );
      const a5 = p1.data[0];
      assert.equal(a5?.ok, false);
      assert.equal(a5?.status, 503);
      assert.equal(a5?.error, 'HTTP 503');
      assert.equal(a5?.responseExcerpt, 'busy');
      assert.equal(
        a5?.bodyExcerpt,
        '{"records":[{"fields":{"Name":"Ana"}}]}',
        'the transformed body is kept',
      );
      assert.equal(p1.data[1]?.bodyExcerpt, null);
      assert.equal(a5?.durationMs, 12);
      assert.equal(a5?.eventId, '5');
      assert.equal(p1.data[1]?.ok, true);
      assert.ok(p1.nextCursor);
      const p2 = await x.store.listAttempts('dst_1', { limit: 2, cursor: p1.nextCursor as string });
      assert.deepEqual(
        p2.data.map((a) => a.attempt),
        [3, 2],
      );
      const p3 = await x.store.listAttempts('dst_1', { limit: 2, cursor: p2.nextCursor as string });
      assert.deepEqual(
        p3.data.map((a) => a.attempt),
        [1],
      );
      assert.equal(p3.nextCursor, null);
      await assert.rejects(x.store.listAttempts('dst_1', { limit: 2, cursor: 'bogus!' }), RangeError);
    });

    test('a batch of hundreds of attempts is logged whole, each attempt once, in the order given', async () => {
      await x.store.create(sample(), T0);
      const numbers = Array.from({ length: 250 }, (_, i) => i + 1);
      await x.store.recordAttempts(numbers.map((n) => attempt(n)));
      const page = await x.store.listAttempts('dst_1', { limit: 300 });
      assert.deepEqual(
        page.data.map((a) => a.attempt),
        [...numbers].reverse(),
      );
      assert.deepEqual(
        page.data.map((a) => [a.outboxId, a.ok, a.status, a.error]),
        [...numbers]
          .reverse()
          .map((n) => [String(n), n % 2 === 0, n % 2 === 0 ? 200 : 503, n % 2 === 0 ? null : 'HTTP 503']),
      );
    });

    test('replay writes: events of a time range, enqueue (new or reset rows) and dead rows back to pending', async () => {
      await x.store.create(sample(), T0);
      const t = destinationTarget('dst_1');
      const e1 = await x.addEvent({ key: 'e1', occurredAt: T0 + 100, waId: '111' });
      const e2 = await x.addEvent({ key: 'e2', occurredAt: T0 + 200 });
      await x.addEvent({ key: 'e3', occurredAt: T0 + 300 });
      const between = await x.store.eventsBetween(T0 + 100, T0 + 300, null, 10);
      assert.deepEqual(
        between.map((e) => e.event.key),
        ['e1', 'e2'],
      );
      assert.deepEqual(
        (await x.store.eventsBetween(T0 + 100, T0 + 300, String(e1), 10)).map((e) => e.id),
        [String(e2)],
      );
      assert.equal(await x.store.enqueue(t, [String(e1)], T0), 1);
      let rows = await x.rows(t);
      assert.deepEqual(
        rows.map((r) => [r.event_id, r.state, r.contact_key]),
        [[e1, 'pending', '111']],
      );
      await x.setRowState(t, e1, 'dead');
      assert.equal(await x.store.requeueDead(t, T0, T0 + 150, T0), 1);
      rows = await x.rows(t);
      assert.equal(rows[0]?.state, 'pending');
      await x.setRowState(t, e1, 'delivered');
      assert.equal(await x.store.enqueue(t, [String(e1), String(e2)], T0), 2, 'one reset, one new');
      rows = await x.rows(t);
      assert.deepEqual(
        rows.map((r) => [r.event_id, r.state, r.attempts]),
        [
          [e1, 'pending', 0],
          [e2, 'pending', 0],
        ],
      );
      assert.deepEqual(await x.store.backlog(), [{ target: t, pending: 2 }]);
    });

    test("Wharf's own events are stored once by key, with rows for the given targets", async () => {
      const event = {
        name: 'wharf.dead_letter',
        key: 'wharf.dead_letter:7',
        field: 'wharf',
        occurredAt: T0,
        wabaId: '',
        data: { outboxId: '7' },
        raw: null,
      } as unknown as AnyWharfEvent;
      const id = await x.store.recordEvent(event, ['destination:a', 'destination:b'], T0);
      assert.ok(id);
      assert.equal(await x.store.recordEvent(event, ['destination:a'], T0), null, 'the same key again');
      assert.equal((await x.rows('destination:a')).length, 1);
      assert.equal((await x.rows('destination:b')).length, 1);
      const stored = await x.store.eventsBetween(T0, T0 + 1, null, 10);
      assert.equal(stored[0]?.event.name, 'wharf.dead_letter');
      assert.deepEqual((stored[0]?.event as { data?: unknown } | undefined)?.data, { outboxId: '7' });
    });

    test('delete removes the destination, its outbox rows and its attempt log', async () => {
      await x.store.create(sample(), T0);
      const t = destinationTarget('dst_1');
      await x.store.enqueue(t, [String(await x.addEvent({ key: 'd1', occurredAt: T0 }))], T0);
      await x.store.recordAttempts([attempt(1)]);
      assert.equal(await x.store.delete('dst_1'), true);
      assert.equal(await x.store.get('dst_1'), null);
      assert.deepEqual(await x.rows(t), []);
      assert.deepEqual((await x.store.listAttempts('dst_1', { limit: 10 })).data, []);
      assert.equal(await x.store.delete('dst_1'), false);
    });
  });
}
