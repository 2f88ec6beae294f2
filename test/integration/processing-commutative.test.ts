/**
 * Commutative state (design §2): the same events in any order, any batching, with duplicates, give
 * the same state; a poison delivery does not block the ones behind it. Real SQLite, no HTTP.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createHarness, deliveryState } from '../helpers/processing-harness.js';
import {
  preferenceDelivery,
  statusDelivery,
  templateStatusDelivery,
  textDelivery,
  type StatusSpec,
} from '../helpers/webhook-bodies.js';
import type { OutboxTarget } from '../../src/ports/outbox-target.js';

const T0 = 1767225600;
const PEOPLE = {
  'wamid.A': { waId: '447700900001', userId: 'GB.A' },
  'wamid.B': { waId: '447700900002', userId: 'GB.B' },
} as const;

const statusArb = fc.record({
  wamid: fc.constantFrom('wamid.A', 'wamid.B'),
  status: fc.constantFrom('sent', 'delivered', 'read', 'played', 'failed'),
  ts: fc.integer({ min: 0, max: 40 }),
  name: fc.constantFrom('Ana', 'Ana Ruiz', 'Ben'),
  pricing: fc.constantFrom(undefined, 'marketing', 'utility'),
  errorCode: fc.constantFrom(131026, 131050),
});

type Item = { kind: 'status'; s: StatusSpec } | { kind: 'other'; body: string };

/** Statuses unique per (wamid, status) — their idempotency key — plus inbound texts, opt-outs, template events. */
const itemsArb = fc
  .tuple(
    fc.uniqueArray(statusArb, { selector: (s) => `${s.wamid}:${s.status}`, minLength: 1, maxLength: 10 }),
    fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 3 }),
    fc.uniqueArray(
      fc.tuple(
        fc.constantFrom('stop', 'resume') as fc.Arbitrary<'stop' | 'resume'>,
        fc.integer({ min: 0, max: 40 }),
      ),
      {
        selector: ([v, t]) => `${v}${t}`,
        maxLength: 4,
      },
    ),
    fc.uniqueArray(
      fc.tuple(fc.constantFrom('APPROVED', 'PAUSED', 'REJECTED'), fc.integer({ min: 0, max: 40 })),
      {
        selector: ([e, t]) => `${e}${t}`,
        maxLength: 3,
      },
    ),
  )
  .map(([statuses, texts, prefs, templates]): Item[] => [
    ...statuses.map((g) => {
      const who = PEOPLE[g.wamid];
      const s: StatusSpec = {
        wamid: g.wamid,
        status: g.status,
        ts: T0 + g.ts,
        waId: who.waId,
        userId: who.userId,
        name: g.name,
        ...(g.pricing && g.status !== 'failed' ? { pricing: g.pricing } : {}),
        ...(g.status === 'failed' ? { errorCode: g.errorCode } : {}),
      };
      return { kind: 'status' as const, s };
    }),
    ...texts.map((t) => ({
      kind: 'other' as const,
      body: textDelivery(`wamid.IN${t}`, T0 + t, `hi ${t}`, '447700900001', 'GB.A'),
    })),
    ...prefs.map(([v, t]) => ({
      kind: 'other' as const,
      body: preferenceDelivery(v, T0 + t, '447700900001', 'GB.A'),
    })),
    ...templates.map(([e, t]) => ({ kind: 'other' as const, body: templateStatusDelivery(42, e, T0 + t) })),
  ]);

const bodyOf = (i: Item) => (i.kind === 'status' ? statusDelivery(i.s) : i.body);

const everyOther: OutboxTarget = { id: 'statuses', wants: (e) => e.name.startsWith('status.') };
const all: OutboxTarget = { id: 'all', wants: () => true };

async function stateOf(bodies: readonly string[], batch: number) {
  const h = createHarness();
  try {
    for (const b of bodies) h.add(b);
    await h.drain(batch, [everyOther, all]);
    return h.snapshot();
  } finally {
    await h.close();
  }
}

describe('commutative processing', () => {
  test('any permutation, batching and duplication of the same events gives the same final state', async () => {
    await fc.assert(
      fc.asyncProperty(
        itemsArb.chain((items) =>
          fc.record({
            items: fc.constant(items),
            order: fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length }),
            again: fc.subarray(items),
            batch: fc.integer({ min: 1, max: 7 }),
          }),
        ),
        async ({ items, order, again, batch }) => {
          const reference = await stateOf(items.map(bodyOf), 1);
          // Duplicates: the same delivery twice, and statuses of both people again inside one combined delivery.
          const statuses = order.filter((i): i is Extract<Item, { kind: 'status' }> => i.kind === 'status');
          const a = statuses.find((i) => i.s.wamid === 'wamid.A');
          const b = statuses.find((i) => i.s.wamid === 'wamid.B');
          const bodies = [
            ...order.map(bodyOf),
            ...again.map(bodyOf),
            ...(a && b ? [statusDelivery(a.s, b.s)] : []),
          ];
          const shuffled = await stateOf(bodies, batch);
          assert.deepEqual(shuffled, reference);
        },
      ),
      { numRuns: 60 },
    );
  });

  test('a message keeps its highest status and its failure, whatever order delivered, read and failed arrive in', async () => {
    const who = PEOPLE['wamid.A'];
    const specs: StatusSpec[] = [
      { wamid: 'wamid.A', status: 'sent', ts: T0, ...who, pricing: 'marketing' },
      { wamid: 'wamid.A', status: 'failed', ts: T0 + 2, waId: who.waId, errorCode: 131026 },
      { wamid: 'wamid.A', status: 'read', ts: T0 + 3, ...who },
      { wamid: 'wamid.A', status: 'delivered', ts: T0 + 4, ...who },
    ];
    for (const order of [
      specs,
      [...specs].reverse(),
      [specs[2], specs[0], specs[3], specs[1]] as StatusSpec[],
    ]) {
      const h = createHarness();
      try {
        for (const s of order) h.add(statusDelivery(s));
        await h.drain(2);
        const m = await h.reads.getMessage('wamid.A');
        assert.equal(m?.status, 'read');
        assert.equal(m?.failed, true);
        assert.deepEqual(
          m?.errors.map((e) => e.code),
          [131026],
        );
        assert.deepEqual(
          m?.statuses.map((s) => s.status),
          ['sent', 'failed', 'read', 'delivered'],
        );
        assert.equal(m?.pricing?.category, 'marketing');
      } finally {
        await h.close();
      }
    }
  });

  test('a duplicate changes nothing twice: no second event, no second outbox row', async () => {
    const h = createHarness();
    try {
      const body = statusDelivery({ wamid: 'wamid.D', status: 'sent', ts: T0, userId: 'GB.D' });
      h.add(body);
      await h.drain(10, [all]);
      const before = h.snapshot();
      h.add(body);
      h.add(
        statusDelivery(
          { wamid: 'wamid.D', status: 'sent', ts: T0, userId: 'GB.D' },
          { wamid: 'wamid.E', status: 'sent', ts: T0, userId: 'GB.E' },
        ),
      );
      const stats = await h.drain(10, [all]);
      const afterState = h.snapshot();
      assert.equal(
        stats.reduce((n, s) => n + s.outcome.duplicates, 0),
        2,
      );
      assert.equal(afterState['outbox']?.length, (before['outbox']?.length ?? 0) + 1);
      assert.deepEqual(
        afterState['events']?.filter((e) => (e as { key: string }).key.includes('wamid.D')),
        before['events'],
      );
    } finally {
      await h.close();
    }
  });

  test('a poison delivery is retried a bounded number of times, then recorded invalid, without blocking the others', async () => {
    const h = createHarness();
    try {
      const poison = h.add(statusDelivery({ wamid: 'wamid.POISON', status: 'sent', ts: T0, userId: 'GB.P' }));
      const notJson = h.add('{"entry": [');
      const fine = [1, 2, 3].map((i) =>
        h.add(statusDelivery({ wamid: `wamid.OK${i}`, status: 'sent', ts: T0, userId: 'GB.P' })),
      );
      // A target whose filter throws on one event stands in for a processing bug triggered by one payload.
      const buggy: OutboxTarget = {
        id: 'buggy',
        wants: (e) => {
          if (e.wamid === 'wamid.POISON') throw new Error('boom');
          return false;
        },
      };
      await h.drain(10, [buggy], 3);
      const rows = [poison, notJson, ...fine].map((id) => ({ id, ...deliveryState(h.db, id) }));
      const byId = new Map(rows.map((r) => [r.id, r]));
      assert.equal(byId.get(poison)?.state, 'invalid');
      assert.equal(byId.get(poison)?.attempts, 3);
      assert.match(byId.get(poison)?.error ?? '', /boom/);
      assert.equal(byId.get(notJson)?.state, 'invalid');
      assert.equal(byId.get(notJson)?.attempts, 0, 'not retried');
      assert.match(byId.get(notJson)?.error ?? '', /NOT_JSON/);
      for (const id of fine) assert.equal(byId.get(id)?.state, 'processed');
      for (const i of [1, 2, 3]) assert.equal((await h.reads.getMessage(`wamid.OK${i}`))?.status, 'sent');
    } finally {
      await h.close();
    }
  });
});
