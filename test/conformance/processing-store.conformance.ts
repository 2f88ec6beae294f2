/**
 * The behaviours every ProcessingStore adapter must have (src/ports/processing-store.ts), with the
 * same adapter's ReadStore (src/ports/read-store.ts) reading what it wrote, checked through the ports
 * only: idempotent keys, commutative state, leases, invalid and poison
 * deliveries, the events API's filters and cursor, and the message and contact views.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProcessingStore } from '../../src/ports/processing-store.js';
import type { ReadStore } from '../../src/ports/read-store.js';
import type { OutboxTarget } from '../../src/ports/outbox-target.js';
import { processBatch, type BatchStats } from '../../src/app/process-batch.js';
import {
  envelope,
  preferenceDelivery,
  statusDelivery,
  statusItem,
  templateStatusDelivery,
  textDelivery,
  type StatusSpec,
} from '../helpers/webhook-bodies.js';
import { fixtureBytes, fixturePaths } from '../helpers/fixtures.js';
import { parseDelivery } from '../../src/core/parse-delivery.js';
import { normalizeDelivery } from '../../src/core/normalize-delivery.js';

export interface ProcessingUnderTest {
  /** The write port under test. */
  readonly store: ProcessingStore;
  /** The same adapter's read port, on the same database (processing-store writes, read-store reads). */
  readonly reads: ReadStore;
  /** Stores a raw delivery (pending); returns its inbox id. */
  add(body: string, receivedAt?: number): Promise<string>;
  delivery(id: string): Promise<{ state: string; attempts: number; error: string | null }>;
  /** Every state table and the events, without ids or processing times (see processing-harness.ts). */
  snapshot(): Promise<Record<string, unknown[]>>;
  dispose(): Promise<void>;
}

export type MakeProcessing = () => Promise<ProcessingUnderTest>;

const T0 = 1767225600;
const all: OutboxTarget = { id: 'all', wants: () => true };
const statuses: OutboxTarget = { id: 'statuses', wants: (e) => e.name.startsWith('status.') };

export async function drain(
  store: ProcessingStore,
  limit = 10,
  targets: ReadonlyArray<OutboxTarget> = [all, statuses],
  maxAttempts = 3,
  workerId = 'test-worker',
): Promise<BatchStats[]> {
  let clock = 1_800_000_000_000;
  const out: BatchStats[] = [];
  for (let i = 0; i < 1000; i++) {
    const now = () => ++clock;
    const s = await processBatch({ store, targets, workerId, limit, leaseMs: 30_000, maxAttempts, now });
    if (s.claimed === 0) return out;
    out.push(s);
  }
  throw new Error('drain did not finish');
}

async function using(make: MakeProcessing, fn: (u: ProcessingUnderTest) => Promise<void>) {
  const u = await make();
  try {
    await fn(u);
  } finally {
    await u.dispose();
  }
}

const A = { waId: '447700900001', userId: 'GB.A' };
const STATUSES: StatusSpec[] = [
  { wamid: 'wamid.A', status: 'sent', ts: T0, ...A, pricing: 'marketing' },
  { wamid: 'wamid.A', status: 'failed', ts: T0 + 2, waId: A.waId, errorCode: 131026 },
  { wamid: 'wamid.A', status: 'read', ts: T0 + 3, ...A },
  { wamid: 'wamid.A', status: 'delivered', ts: T0 + 4, ...A, name: 'Ana Ruiz' },
];

export function processingStoreConformance(name: string, make: MakeProcessing): void {
  describe(`ProcessingStore conformance: ${name}`, { timeout: 60_000 }, () => {
    test('an event key is stored once: a repeated delivery adds no event, no state change and no outbox row', async () => {
      await using(make, async ({ store, add, snapshot }) => {
        const body = statusDelivery({ wamid: 'wamid.D', status: 'sent', ts: T0, userId: 'GB.D' });
        await add(body);
        const first = await drain(store);
        assert.equal(first[0]?.outcome.committed.length, 1);
        assert.equal(first[0]?.outcome.outboxRows, 2);
        const before = await snapshot();
        await add(body);
        await add(
          statusDelivery(
            { wamid: 'wamid.D', status: 'sent', ts: T0, userId: 'GB.D' },
            { wamid: 'wamid.E', status: 'sent', ts: T0, userId: 'GB.E' },
          ),
        );
        const again = await drain(store);
        assert.equal(
          again.reduce((n, s) => n + s.outcome.duplicates, 0),
          2,
        );
        const keys = again.flatMap((s) => s.outcome.committed.map((c) => c.event.key));
        assert.equal(keys.length, 1);
        assert.match(keys[0] ?? '', /wamid\.E/);
        const after = await snapshot();
        assert.equal(after['outbox']?.length, (before['outbox']?.length ?? 0) + 2);
        assert.equal(after['events']?.length, (before['events']?.length ?? 0) + 1);
      });
    });

    test('two deliveries carrying the same item in one batch make one event', async () => {
      await using(make, async ({ store, add }) => {
        const s = { wamid: 'wamid.T', status: 'read', ts: T0, userId: 'GB.T' };
        await add(statusDelivery(s));
        await add(statusDelivery(s, { wamid: 'wamid.U', status: 'read', ts: T0, userId: 'GB.T' }));
        const [batch] = await drain(store, 10);
        assert.equal(batch?.outcome.committed.length, 2);
        assert.equal(batch?.outcome.duplicates, 1);
      });
    });

    test('a message keeps its highest status and its failure, whatever order and batching they arrive in', async () => {
      const orders = [STATUSES, [...STATUSES].reverse(), [2, 0, 3, 1].map((i) => STATUSES[i] as StatusSpec)];
      const snapshots: unknown[] = [];
      for (const [i, order] of orders.entries())
        await using(make, async ({ store, reads, add, snapshot }) => {
          for (const s of order) await add(statusDelivery(s));
          await drain(store, i + 1);
          const m = await reads.getMessage('wamid.A');
          assert.equal(m?.status, 'read');
          assert.equal(m?.failed, true);
          assert.deepEqual(
            m?.errors.map((e) => [e.code, e.details]),
            [[131026, 'details 131026']],
          );
          assert.deepEqual(
            m?.statuses.map((s) => s.status),
            ['sent', 'failed', 'read', 'delivered'],
          );
          assert.equal(m?.pricing?.category, 'marketing');
          assert.equal(m?.direction, 'outbound');
          const c = await reads.getContact('GB.A');
          assert.equal(c?.name, 'Ana Ruiz', 'the newest name by time');
          const snap = await snapshot();
          snapshots.push({ ...snap, events: snap['events']?.length });
        });
      assert.deepEqual(snapshots[1], snapshots[0]);
      assert.deepEqual(snapshots[2], snapshots[0]);
    });

    test('template status keeps the newest event by time, and every event in its history', async () => {
      await using(make, async ({ store, add, snapshot }) => {
        await add(templateStatusDelivery(42, 'PAUSED', T0 + 50, 'LOW_QUALITY'));
        await add(templateStatusDelivery(42, 'APPROVED', T0 + 10));
        await drain(store, 1);
        const snap = await snapshot();
        const t = snap['templates']?.[0] as Record<string, unknown>;
        assert.equal(t['status'], 'PAUSED');
        assert.equal(t['status_reason'], 'LOW_QUALITY');
        assert.equal(snap['template_history']?.length, 2);
      });
    });

    test('a claimed delivery is leased: not claimed again until the lease expires, then reclaimed', async () => {
      await using(make, async ({ store, add }) => {
        const id = await add(statusDelivery({ wamid: 'wamid.L', status: 'sent', ts: T0 }));
        const t = 1_800_000_000_000;
        assert.deepEqual(
          (await store.claimBatch('w1', 10, 1000, t)).map((d) => d.id),
          [id],
        );
        assert.equal((await store.claimBatch('w2', 10, 1000, t + 999)).length, 0);
        const again = await store.claimBatch('w2', 10, 1000, t + 1001);
        assert.deepEqual(
          again.map((d) => [d.id, d.attempts]),
          [[id, 0]],
        );
        await store.releaseLeases('w1', [id]);
        assert.equal((await store.claimBatch('w3', 10, 1000, t + 1002)).length, 0, 'w1 holds it no more');
        await store.releaseLeases('w2', [id]);
        const released = await store.claimBatch('w3', 10, 1000, t + 1003);
        assert.deepEqual(
          released.map((d) => [d.id, d.attempts]),
          [[id, 0]],
          'a released lease counts no attempt',
        );
      });
    });

    test('claims take the oldest deliveries first, up to the limit, with their bytes', async () => {
      await using(make, async ({ store, add }) => {
        const bodies = ['{"a":1}', '{"b":2}', '{"c":3}'];
        const ids: string[] = [];
        for (const b of bodies) ids.push(await add(b, 1_000 + ids.length));
        const got = await store.claimBatch('w', 2, 1000, Date.now());
        assert.deepEqual(
          got.map((d) => d.id),
          ids.slice(0, 2),
        );
        assert.equal(Buffer.from(got[0]?.body ?? []).toString(), bodies[0]);
        assert.equal(got[1]?.receivedAt, 1_001);
      });
    });

    test('a signed delivery that is not JSON is recorded invalid with its reason, never retried', async () => {
      await using(make, async ({ store, add, delivery }) => {
        const bad = await add('{"entry": [');
        const fine = await add(statusDelivery({ wamid: 'wamid.OK', status: 'sent', ts: T0 }));
        await drain(store);
        const d = await delivery(bad);
        assert.equal(d.state, 'invalid');
        assert.equal(d.attempts, 0);
        assert.match(d.error ?? '', /NOT_JSON/);
        assert.equal((await delivery(fine)).state, 'processed');
      });
    });

    // Botpress #15083 (reference/peers.md §3.13): one bad item must not cost a delivery its others.
    test('an odd value in one item (a NUL character, a time no date can have, a fractional or huge error code) never costs its delivery the other items', async () => {
      await using(make, async ({ store, reads, add, delivery, snapshot }) => {
        const fine = (wamid: string) => statusItem({ wamid, status: 'sent', ts: T0 });
        const odd: Array<[string, Record<string, unknown>]> = [
          ['nul', { ...fine('wamid.NUL\u0000'), recipient_id: '4477\u0000' }],
          ['far-future', { ...fine('wamid.FAR'), timestamp: '99999999999999999999' }],
          ['exponent', { ...fine('wamid.EXP'), timestamp: 1e300 }],
          [
            'fractional-code',
            {
              ...statusItem({ wamid: 'wamid.FRAC', status: 'failed', ts: T0 }),
              errors: [{ code: 131026.5 }],
            },
          ],
          [
            'huge-code',
            { ...statusItem({ wamid: 'wamid.HUGE', status: 'failed', ts: T0 }), errors: [{ code: 1e20 }] },
          ],
        ];
        const ids: Array<[string, string]> = [];
        for (const [what, item] of odd)
          ids.push([
            what,
            await add(
              envelope('messages', {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '1555', phone_number_id: '900000000000001' },
                statuses: [item, fine(`wamid.NEXT-${what}`)],
              }),
            ),
          ]);
        await drain(store, 10, undefined, 2);
        for (const [what, id] of ids) {
          const d = await delivery(id);
          assert.equal(d.state, 'processed', `${what}: ${d.error ?? ''}`);
          assert.equal((await reads.getMessage(`wamid.NEXT-${what}`))?.status, 'sent', what);
        }
        assert.equal((await snapshot())['events']?.length, odd.length * 2);
      });
    });

    test('a poison delivery is retried maxAttempts times, then recorded invalid, without blocking the others', async () => {
      await using(make, async ({ store, reads, add, delivery }) => {
        const poison = await add(statusDelivery({ wamid: 'wamid.POISON', status: 'sent', ts: T0 }));
        const fine = await add(statusDelivery({ wamid: 'wamid.OK1', status: 'sent', ts: T0 }));
        const buggy: OutboxTarget = {
          id: 'buggy',
          wants: (e) => {
            if (e.wamid === 'wamid.POISON') throw new Error('boom');
            return false;
          },
        };
        await drain(store, 10, [buggy], 3);
        const p = await delivery(poison);
        assert.deepEqual([p.state, p.attempts], ['invalid', 3]);
        assert.match(p.error ?? '', /boom/);
        assert.equal((await delivery(fine)).state, 'processed');
        assert.equal((await reads.getMessage('wamid.OK1'))?.status, 'sent');
        assert.equal(await reads.getMessage('wamid.POISON'), null);
      });
    });

    test('listEvents filters by name, prefix, contact, wamid and since, newest first, paged by cursor', async () => {
      await using(make, async ({ store, reads, add }) => {
        await add(
          statusDelivery({ wamid: 'wamid.E1', status: 'sent', ts: T0, userId: 'GB.1', pricing: 'utility' }),
        );
        await add(statusDelivery({ wamid: 'wamid.E1', status: 'delivered', ts: T0 + 5, userId: 'GB.1' }));
        await add(textDelivery('wamid.IN', T0 + 9, 'hi', '447700900555', 'GB.555'));
        await drain(store, 1);
        const names = async (q: Parameters<ReadStore['listEvents']>[0]) =>
          (await reads.listEvents(q)).data.map((e) => e.event.name);
        assert.deepEqual(await names({ limit: 10 }), ['message.text', 'status.delivered', 'status.sent']);
        assert.deepEqual(await names({ limit: 10, name: 'status.' }), ['status.delivered', 'status.sent']);
        assert.deepEqual(await names({ limit: 10, name: 'status.sent' }), ['status.sent']);
        assert.deepEqual(await names({ limit: 10, contact: 'GB.555' }), ['message.text']);
        assert.deepEqual(await names({ limit: 10, contact: '+447700900555' }), ['message.text']);
        assert.deepEqual(await names({ limit: 10, wamid: 'wamid.E1', since: (T0 + 1) * 1000 }), [
          'status.delivered',
        ]);
        assert.deepEqual(await names({ limit: 10, phoneNumberId: 'nope' }), []);
        const p1 = await reads.listEvents({ limit: 2 });
        assert.ok(p1.nextCursor);
        const p2 = await reads.listEvents({ limit: 2, cursor: p1.nextCursor ?? '' });
        assert.deepEqual(
          p2.data.map((e) => e.event.name),
          ['status.sent'],
        );
        assert.equal(p2.nextCursor, null);
        await assert.rejects(reads.listEvents({ limit: 1, cursor: 'nope!' }), RangeError);
        const sent = p2.data[0]?.event;
        assert.equal(sent?.occurredAt, T0 * 1000);
        assert.deepEqual((sent?.data as { pricing?: { category?: string } }).pricing?.category, 'utility');
        assert.equal((sent?.raw as { id?: string }).id, 'wamid.E1');
      });
    });

    test('every filter combined with the cursor pages through exactly its events: none skipped, none repeated', async () => {
      await using(make, async ({ store, reads, add }) => {
        for (let i = 0; i < 12; i++) {
          const who = { waId: `44770090010${i % 3}`, userId: `GB.F${i % 3}` };
          await add(
            statusDelivery(
              {
                wamid: `wamid.F${i % 4}`,
                status: ['sent', 'delivered', 'read'][i % 3] as string,
                ts: T0 + i,
                ...who,
              },
              { wamid: `wamid.G${i}`, status: 'sent', ts: T0 + 20 - i, ...who },
            ),
          );
          if (i % 2 === 0) await add(textDelivery(`wamid.T${i}`, T0 + i, `hi ${i}`, who.waId, who.userId));
          if (i % 5 === 0) await add(templateStatusDelivery(9, 'APPROVED', T0 + i));
        }
        await drain(store, 3);
        const since = (T0 + 6) * 1000;
        const filters: Array<Omit<Parameters<ReadStore['listEvents']>[0], 'limit' | 'cursor'>> = [
          {},
          { name: 'status.' },
          { name: 'status.sent' },
          { name: 'message.' },
          { contact: 'GB.F1' },
          { contact: '+447700900102' },
          { wamid: 'wamid.F2' },
          { phoneNumberId: '900000000000001' },
          { since },
          { name: 'status.', contact: 'GB.F0', since },
          { wamid: 'wamid.F1', name: 'status.', since },
          { phoneNumberId: '900000000000001', name: 'message.text', contact: '447700900100' },
        ];
        for (const f of filters) {
          const all = (await reads.listEvents({ ...f, limit: 1000 })).data.map((e) => e.id);
          assert.ok(all.length > 0, JSON.stringify(f));
          for (const limit of [1, 2, 5]) {
            const paged: string[] = [];
            let cursor: string | undefined;
            for (let n = 0; n < 200; n++) {
              const page = await reads.listEvents({ ...f, limit, ...(cursor ? { cursor } : {}) });
              paged.push(...page.data.map((e) => e.id));
              if (page.nextCursor === null) break;
              cursor = page.nextCursor;
            }
            assert.deepEqual(paged, all, `${JSON.stringify(f)} by ${limit}`);
          }
          const tailed: string[] = [];
          let from = '0';
          for (let n = 0; n < 200; n++) {
            const batch = await reads.eventsAfter(from, f, 2);
            if (batch.length === 0) break;
            tailed.push(...batch.map((e) => e.id));
            from = batch[batch.length - 1]?.id ?? from;
          }
          assert.deepEqual(tailed, [...all].reverse(), `tail ${JSON.stringify(f)}`);
        }
      });
    });

    test("every event reads back with its delivery's raw item exactly as normalizing gave it, through the list and the tail", async () => {
      await using(make, async ({ store, reads, add }) => {
        const expected = new Map<string, unknown>();
        const bodies = [
          ...fixturePaths().map((p) => fixtureBytes(p).toString('utf8')),
          // The same item in a second delivery is the same event: its raw item is the first one's.
          statusDelivery({ wamid: 'wamid.R1', status: 'sent', ts: T0, ...A }),
          statusDelivery({ wamid: 'wamid.R1', status: 'sent', ts: T0, ...A }),
        ];
        for (const body of bodies) {
          await add(body);
          const parsed = parseDelivery(Buffer.from(body));
          if (!parsed.ok) continue;
          for (const e of normalizeDelivery(parsed.envelope))
            if (!expected.has(e.key)) expected.set(e.key, e.raw);
        }
        await drain(store, 7);
        const listed = new Map<string, unknown>();
        let cursor: string | undefined;
        do {
          const page = await reads.listEvents({ limit: 33, ...(cursor === undefined ? {} : { cursor }) });
          for (const e of page.data) listed.set(e.event.key, e.event.raw);
          cursor = page.nextCursor ?? undefined;
        } while (cursor !== undefined);
        const tailed = new Map<string, unknown>();
        let after = '0';
        for (;;) {
          const got = await reads.eventsAfter(after, {}, 41);
          if (got.length === 0) break;
          for (const e of got) tailed.set(e.event.key, e.event.raw);
          after = got[got.length - 1]?.id ?? after;
        }
        assert.ok(expected.size > 100, `${expected.size} events`);
        for (const [key, raw] of expected) {
          assert.deepEqual(listed.get(key) ?? null, raw ?? null, `listed ${key}`);
          assert.deepEqual(tailed.get(key) ?? null, raw ?? null, `tailed ${key}`);
        }
        assert.equal(listed.size, expected.size);
        assert.equal(tailed.size, expected.size);
      });
    });

    test('eventsAfter tails oldest first from an id, and lastEventId is the newest id', async () => {
      await using(make, async ({ store, reads, add }) => {
        assert.equal(await reads.lastEventId(), '0');
        for (let i = 0; i < 3; i++)
          await add(statusDelivery({ wamid: `wamid.S${i}`, status: 'sent', ts: T0 + i }));
        await drain(store, 1);
        const page = await reads.listEvents({ limit: 10 });
        const ids = page.data.map((e) => e.id).reverse();
        assert.equal(await reads.lastEventId(), ids[2]);
        const after = await reads.eventsAfter(ids[0] ?? '0', {}, 10);
        assert.deepEqual(
          after.map((e) => e.id),
          ids.slice(1),
        );
        assert.deepEqual(
          (await reads.eventsAfter('0', { wamid: 'wamid.S2' }, 10)).map((e) => e.event.wamid),
          ['wamid.S2'],
        );
      });
    });

    test('an inbound message has its preview and context; its contact is found by phone, BSUID or +phone', async () => {
      await using(make, async ({ store, reads, add }) => {
        await add(textDelivery('wamid.IN1', T0 + 60, 'Hello there', '447700900555', 'GB.555'));
        await drain(store);
        const m = await reads.getMessage('wamid.IN1');
        assert.equal(m?.direction, 'inbound');
        assert.equal(m?.type, 'text');
        assert.equal(m?.preview, 'Hello there');
        assert.deepEqual(m?.context, {
          id: 'wamid.ORIGINAL',
          from: '15551230000',
          forwarded: true,
          frequentlyForwarded: false,
        });
        assert.equal(m?.status, null);
        for (const id of ['447700900555', 'GB.555', '+447700900555']) {
          const c = await reads.getContact(id);
          assert.equal(c?.name, 'Ana Ruiz', id);
          assert.equal(c?.userId, 'GB.555', id);
          assert.equal(c?.waId, '447700900555', id);
          assert.equal(c?.lastInboundAt, (T0 + 60) * 1000, id);
        }
        assert.equal(await reads.getContact('447700000000'), null);
        assert.equal(await reads.getMessage('wamid.none'), null);
      });
    });

    test('marketing opt-out follows the latest of stop, resume and error 131050, in any arrival order', async () => {
      await using(make, async ({ store, reads, add }) => {
        await add(
          statusDelivery({
            wamid: 'wamid.OPT',
            status: 'failed',
            ts: T0 + 300,
            waId: '447700900777',
            errorCode: 131050,
          }),
        );
        await add(preferenceDelivery('resume', T0 + 200, '447700900777', 'GB.777'));
        await add(preferenceDelivery('stop', T0 + 100, '447700900777', 'GB.777'));
        await drain(store, 1);
        const c = await reads.getContact('GB.777');
        assert.equal(c?.marketingOptOut?.optedOut, true);
        assert.equal(c?.marketingOptOut?.source, 'error_131050');
        assert.equal(c?.marketingOptOut?.at, (T0 + 300) * 1000);
      });
    });

    test('onCommit tells listeners about committed events and their wamids', async () => {
      await using(make, async ({ store, reads, add }) => {
        const notices: Array<{ lastEventId: string; wamids: readonly string[] }> = [];
        const off = reads.onCommit((n) => notices.push(n));
        // A cross-process channel (LISTEN) may need a moment to be established.
        await new Promise((r) => setTimeout(r, 200));
        await add(statusDelivery({ wamid: 'wamid.N', status: 'sent', ts: T0 }));
        await drain(store);
        const end = Date.now() + 5000;
        while (notices.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
        off();
        assert.equal(notices.length, 1);
        assert.deepEqual(notices[0]?.wamids, ['wamid.N']);
        assert.equal(notices[0]?.lastEventId, await reads.lastEventId());
      });
    });

    test('templates, phone numbers and account state read back newest event first, whatever the arrival order', async () => {
      await using(make, async ({ store, reads, add }) => {
        const ref = {
          message_template_id: 7,
          message_template_name: 'order_update',
          message_template_language: 'en_US',
        };
        const display = { display_phone_number: '15551230000' };
        const bodies = [
          templateStatusDelivery(7, 'APPROVED', T0),
          templateStatusDelivery(7, 'PAUSED', T0 + 10, 'LOW_QUALITY'),
          envelope(
            'message_template_quality_update',
            { previous_quality_score: 'GREEN', new_quality_score: 'YELLOW', ...ref },
            T0 + 5,
          ),
          envelope(
            'phone_number_quality_update',
            { ...display, event: 'UPGRADE', current_limit: 'TIER_10K', old_limit: 'TIER_1K' },
            T0 + 1,
          ),
          envelope(
            'phone_number_quality_update',
            { ...display, event: 'DOWNGRADE', current_limit: 'TIER_1K', old_limit: 'TIER_10K' },
            T0 + 3,
          ),
          envelope(
            'phone_number_name_update',
            { ...display, decision: 'APPROVED', requested_verified_name: 'Acme' },
            T0 + 2,
          ),
          envelope(
            'account_update',
            { event: 'ACCOUNT_VIOLATION', violation_info: { violation_type: 'ADULT' } },
            T0 + 4,
          ),
          envelope(
            'account_update',
            { event: 'ACCOUNT_VIOLATION', violation_info: { violation_type: 'SCAM' } },
            T0 + 9,
          ),
          envelope('account_review_update', { decision: 'APPROVED' }, T0 + 6),
        ];
        for (const body of [...bodies].reverse()) await add(body);
        await drain(store, 2);
        const ms = (t: number) => t * 1000;
        assert.deepEqual(await reads.listTemplates(), [
          {
            templateId: '7',
            wabaId: '800000000000001',
            name: 'order_update',
            language: 'en_US',
            status: { value: 'PAUSED', reason: 'LOW_QUALITY', at: ms(T0 + 10) },
            quality: { value: 'YELLOW', at: ms(T0 + 5) },
            category: null,
            history: [
              { event: 'template.status', at: ms(T0 + 10), value: 'PAUSED', detail: 'LOW_QUALITY' },
              { event: 'template.quality', at: ms(T0 + 5), value: 'YELLOW', detail: null },
              { event: 'template.status', at: ms(T0), value: 'APPROVED', detail: 'NONE' },
            ],
          },
        ]);
        assert.deepEqual(await reads.listPhoneNumbers(), [
          {
            phoneNumberId: null,
            wabaId: '800000000000001',
            displayPhoneNumber: '15551230000',
            name: { status: 'APPROVED', requested: 'Acme', rejectionReason: null },
            quality: {
              event: 'DOWNGRADE',
              currentLimit: 'TIER_1K',
              oldLimit: 'TIER_10K',
              maxDailyConversations: null,
            },
          },
        ]);
        const account = await reads.accountEvents();
        assert.deepEqual(
          account.map((a) => [a.aspect, a.at]),
          [
            ['account.update:ACCOUNT_VIOLATION', ms(T0 + 9)],
            ['account.review', ms(T0 + 6)],
          ],
        );
        assert.equal((account[0]?.data as { violationType?: string }).violationType, 'SCAM');
        assert.deepEqual(account[1]?.data, { decision: 'APPROVED' });
      });
    });
  });
}
