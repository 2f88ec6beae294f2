/**
 * The behaviours every Retention adapter must have (src/ports/retention.ts): what a prune removes
 * (settled deliveries past retention, their events, those events' delivered outbox rows) and what it
 * keeps (anything pending or dead-lettered, unprocessed or leased or re-queued deliveries, the dedupe
 * window, the newest delivery, every state table), batches with a cursor, and dry runs.
 */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PruneCounts, PruneRequest, Retention } from '../../src/ports/retention.js';
import { addPruneCounts, NO_PRUNED_ROWS } from '../../src/core/prune-counts.js';

/** A delivery's processing state as a fixture can set it directly. */
export type FixtureDeliveryState = 'processed' | 'invalid' | 'pending' | 'processing' | 'requeued';

/** Retention over migrated storage, with direct writes to put rows in the state a test needs. */
export interface RetentionFixture {
  readonly retention: Retention;
  addDelivery(receivedAt: number, state?: FixtureDeliveryState): Promise<number>;
  addEvent(key: string, deliveryId: number | null): Promise<number>;
  addOutboxRow(eventId: number, target: string, state: 'pending' | 'delivered' | 'dead'): Promise<number>;
  /** Runs a statement that is plain SQL on both adapters. */
  exec(sql: string): Promise<void>;
  /** The first column of the first row, as a number. */
  scalar(sql: string): Promise<number>;
  dispose(): Promise<void>;
}

export type MakeRetention = () => Promise<RetentionFixture>;

const NOW = Date.parse('2026-06-01T00:00:00Z');
const DAY = 86_400_000;
const OLDER_THAN = NOW - 30 * DAY;
const PROTECT_AFTER = NOW - 7 * DAY;
const OLD = OLDER_THAN - DAY;

/** One row in every state table (the same plain SQL on both dialects). */
const STATE_ROWS = [
  `INSERT INTO contacts (id, wa_id) VALUES ('wa:447700900123', '447700900123')`,
  `INSERT INTO messages (phone_number_id, wamid, direction, status_rank) VALUES ('900000000000001', 'wamid.old', 'outbound', 2)`,
  `INSERT INTO message_errors (event_key, idx, phone_number_id, wamid, code) VALUES ('status:wamid.old:failed', 0, '900000000000001', 'wamid.old', 131026)`,
  `INSERT INTO templates (template_key, name, language, status) VALUES ('t1', 'welcome', 'en', 'APPROVED')`,
  `INSERT INTO template_history (event_key, template_key, event_name, at) VALUES ('tmpl:1', 't1', 'template.status', 1)`,
  `INSERT INTO phone_numbers (phone_key, quality_event) VALUES ('900000000000001', 'FLAGGED')`,
  `INSERT INTO account_state (waba_id, aspect, value, rank) VALUES ('waba-1', 'account.update', '{}', 'r')`,
];
const STATE_TABLES = [
  'contacts',
  'messages',
  'message_errors',
  'templates',
  'template_history',
  'phone_numbers',
  'account_state',
];

export function retentionConformance(name: string, make: MakeRetention): void {
  describe(`Retention conformance: ${name}`, { timeout: 30_000 }, () => {
    let x: RetentionFixture;
    beforeEach(async () => {
      x = await make();
    });
    afterEach(() => x.dispose());

    const request = (over: Partial<PruneRequest> = {}): PruneRequest => ({
      olderThan: OLDER_THAN,
      protectAfter: PROTECT_AFTER,
      batchSize: 100,
      dryRun: false,
      ...over,
    });
    /** Every batch of one run; the counts added up. */
    const pruneAll = async (over: Partial<PruneRequest> = {}): Promise<PruneCounts> => {
      let total = NO_PRUNED_ROWS;
      let after: string | undefined;
      for (;;) {
        const b = await x.retention.prune(request({ ...over, ...(after === undefined ? {} : { after }) }));
        total = addPruneCounts(total, b.counts);
        if (b.next === null) return total;
        after = b.next;
      }
    };
    const has = async (table: string, id: number) =>
      (await x.scalar(`SELECT count(*) FROM ${table} WHERE id = ${id}`)) === 1;
    /** A delivery with one event handed to one target, all at `receivedAt`. */
    const deliveryWithEvent = async (
      key: string,
      receivedAt: number,
      opts: { state?: FixtureDeliveryState; outbox?: 'pending' | 'delivered' | 'dead' } = {},
    ) => {
      const delivery = await x.addDelivery(receivedAt, opts.state ?? 'processed');
      const event = await x.addEvent(key, delivery);
      const row = await x.addOutboxRow(event, 'crm', opts.outbox ?? 'delivered');
      return { delivery, event, row };
    };
    const newest = () => x.addDelivery(NOW, 'pending');

    test('removes processed and invalid deliveries past retention, with their events and delivered outbox rows', async () => {
      const a = await deliveryWithEvent('a', OLD);
      await x.addOutboxRow(a.event, 'audit', 'delivered');
      await x.addEvent('a2', a.delivery);
      const invalid = await x.addDelivery(OLD, 'invalid');
      await newest();
      assert.deepEqual(await pruneAll(), { deliveries: 2, events: 2, outbox: 2 });
      assert.equal(await has('deliveries', a.delivery), false);
      assert.equal(await has('deliveries', invalid), false);
      assert.equal(await has('events', a.event), false);
      assert.equal(await has('outbox', a.row), false);
      assert.deepEqual(await pruneAll(), NO_PRUNED_ROWS, 'a second run finds nothing');
    });

    test('keeps a delivery whose event still has a pending outbox row or a dead letter, with all its rows', async () => {
      const pending = await deliveryWithEvent('p', OLD, { outbox: 'pending' });
      const dead = await deliveryWithEvent('d', OLD, { outbox: 'dead' });
      // A delivered row beside the dead one: the delivery stays whole, its delivered rows too.
      const delivered = await x.addOutboxRow(dead.event, 'audit', 'delivered');
      await newest();
      assert.deepEqual(await pruneAll(), NO_PRUNED_ROWS);
      for (const k of [pending, dead]) {
        assert.equal(await has('deliveries', k.delivery), true);
        assert.equal(await has('events', k.event), true);
        assert.equal(await has('outbox', k.row), true);
      }
      assert.equal(await has('outbox', delivered), true);
    });

    test('keeps deliveries not processed yet: never claimed, leased by a worker, or queued again by a replay', async () => {
      const kept = [
        await x.addDelivery(OLD, 'pending'),
        await x.addDelivery(OLD, 'processing'),
        await x.addDelivery(OLD, 'requeued'),
      ];
      await newest();
      assert.deepEqual(await pruneAll(), NO_PRUNED_ROWS);
      for (const id of kept) assert.equal(await has('deliveries', id), true);
    });

    test('keeps what was received at or after olderThan, and removes what came just before', async () => {
      const edge = await deliveryWithEvent('edge', OLDER_THAN);
      const before = await deliveryWithEvent('before', OLDER_THAN - 1);
      await newest();
      assert.deepEqual(await pruneAll(), { deliveries: 1, events: 1, outbox: 1 });
      assert.equal(await has('deliveries', edge.delivery), true);
      assert.equal(await has('events', edge.event), true);
      assert.equal(await has('deliveries', before.delivery), false);
    });

    test('never removes inside the dedupe window, even when retention is shorter', async () => {
      const inWindow = await deliveryWithEvent('in', NOW - 3 * DAY);
      const pastWindow = await deliveryWithEvent('past', PROTECT_AFTER - 1);
      await newest();
      const counts = await pruneAll({ olderThan: NOW - DAY });
      assert.deepEqual(counts, { deliveries: 1, events: 1, outbox: 1 });
      assert.equal(await has('deliveries', inWindow.delivery), true);
      assert.equal(await has('deliveries', pastWindow.delivery), false);
    });

    test('keeps the newest delivery even past retention: its id must never be handed out again', async () => {
      const only = await deliveryWithEvent('only', OLD);
      assert.deepEqual(await pruneAll(), NO_PRUNED_ROWS);
      assert.equal(await has('deliveries', only.delivery), true);
      await newest();
      assert.deepEqual(await pruneAll(), { deliveries: 1, events: 1, outbox: 1 });
    });

    test('never touches state: messages, their errors, contacts, templates and history, numbers, account', async () => {
      for (const sql of STATE_ROWS) await x.exec(sql);
      await deliveryWithEvent('status:wamid.old:failed', OLD);
      await newest();
      assert.equal((await pruneAll()).deliveries, 1);
      for (const table of STATE_TABLES)
        assert.equal(await x.scalar(`SELECT count(*) FROM ${table}`), 1, `${table} keeps its row`);
    });

    test('leaves events without a delivery alone', async () => {
      const loose = await x.addEvent('loose', null);
      await x.addOutboxRow(loose, 'crm', 'delivered');
      await deliveryWithEvent('a', OLD);
      await newest();
      assert.deepEqual(await pruneAll(), { deliveries: 1, events: 1, outbox: 1 });
      assert.equal(await has('events', loose), true);
    });

    test('a dry run changes nothing and counts exactly what the real run then removes', async () => {
      for (let i = 0; i < 7; i++) await deliveryWithEvent(`old${i}`, OLD + i);
      await deliveryWithEvent('dead', OLD, { outbox: 'dead' });
      await deliveryWithEvent('recent', NOW - DAY);
      await newest();
      const tables = ['deliveries', 'events', 'outbox'];
      const before = await Promise.all(tables.map((t) => x.scalar(`SELECT count(*) FROM ${t}`)));
      const dry = await pruneAll({ dryRun: true, batchSize: 3 });
      assert.deepEqual(dry, { deliveries: 7, events: 7, outbox: 7 });
      const after = await Promise.all(tables.map((t) => x.scalar(`SELECT count(*) FROM ${t}`)));
      assert.deepEqual(after, before, 'nothing changed');
      assert.deepEqual(await pruneAll({ batchSize: 3 }), dry);
    });

    test('works in batches of at most batchSize, oldest first, each saying where the next starts', async () => {
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) ids.push((await deliveryWithEvent(`k${i}`, OLD + i)).delivery);
      await newest();
      const first = await x.retention.prune(request({ batchSize: 2 }));
      assert.deepEqual(first.counts, { deliveries: 2, events: 2, outbox: 2 });
      assert.equal(await has('deliveries', ids[0] as number), false);
      assert.equal(await has('deliveries', ids[2] as number), true);
      assert.ok(first.next !== null);
      const second = await x.retention.prune(request({ batchSize: 2, after: first.next }));
      assert.equal(second.counts.deliveries, 2);
      const third = await x.retention.prune(request({ batchSize: 2, after: second.next ?? '' }));
      assert.deepEqual(third, { counts: { deliveries: 1, events: 1, outbox: 1 }, next: null });
    });

    test('refuses a malformed request with a RangeError and removes nothing', async () => {
      await deliveryWithEvent('a', OLD);
      await newest();
      await assert.rejects(x.retention.prune(request({ batchSize: 0 })), RangeError);
      await assert.rejects(x.retention.prune(request({ after: 'x; DROP TABLE events' })), RangeError);
      await assert.rejects(x.retention.prune(request({ olderThan: Number.NaN })), RangeError);
      assert.equal(await x.scalar('SELECT count(*) FROM events'), 1);
    });
  });
}
