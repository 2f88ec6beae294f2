import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { DeliveryPage, Inbox, NewDelivery } from '../../src/ports/inbox.js';
import { StorageError } from '../../src/storage-error.js';

/** An inbox under test and how to release what it holds. */
export interface InboxUnderTest {
  readonly inbox: Inbox;
  dispose(): Promise<void>;
}

/** Builds a fresh, empty inbox; `migrated: false` leaves the storage without its migrations. */
export type MakeInbox = (options: { migrated: boolean }) => Promise<InboxUnderTest>;

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const delivery = (body: Uint8Array | string, n = 0): NewDelivery => ({
  body: typeof body === 'string' ? bytes(body) : body,
  receivedAt: 1_767_225_600_000 + n,
  secretIndex: n % 3,
  requestId: `req-${n}`,
});

async function withInbox(make: MakeInbox, fn: (inbox: Inbox) => Promise<void>, migrated = true) {
  const u = await make({ migrated });
  try {
    await fn(u.inbox);
  } finally {
    await u.inbox.close();
    await u.dispose();
  }
}

/** The behaviours every Inbox adapter must have (src/ports/inbox.ts). */
export function inboxConformance(name: string, make: MakeInbox): void {
  describe(`Inbox conformance: ${name}`, { timeout: 30_000 }, () => {
    test('warmUp stores nothing, and appends work after it', async () => {
      await withInbox(make, async (inbox) => {
        await inbox.warmUp();
        await inbox.warmUp();
        assert.equal((await inbox.list({ limit: 10 })).data.length, 0);
        const [out] = await inbox.appendBatch([delivery('{"warm":1}', 0)]);
        assert.equal(out?.duplicate, false);
        assert.equal((await inbox.list({ limit: 10 })).data.length, 1);
      });
    });

    test('appendBatch stores a batch and returns one outcome per delivery, in input order', async () => {
      await withInbox(make, async (inbox) => {
        const ds = ['{"a":1}', '{"b":2}', '{"c":3}'].map((b, i) => delivery(b, i));
        const out = await inbox.appendBatch(ds);
        assert.deepEqual(
          out.map((o) => o.bodyHash),
          ds.map((d) => sha256(d.body)),
        );
        assert.ok(out.every((o) => !o.duplicate));
        assert.equal(new Set(out.map((o) => o.id)).size, 3);
        const page = await inbox.list({ limit: 10 });
        const byId = new Map(page.data.map((d) => [d.id, d]));
        out.forEach((o, i) => {
          const stored = byId.get(o.id);
          assert.equal(stored?.bodyHash, o.bodyHash);
          assert.equal(stored?.receivedAt, ds[i]?.receivedAt);
          assert.equal(stored?.secretIndex, ds[i]?.secretIndex);
          assert.equal(stored?.size, ds[i]?.body.byteLength);
          assert.equal(stored?.state, 'pending');
          assert.equal(stored?.duplicates, 0);
          assert.equal(stored?.processedAt, null);
          assert.equal(stored?.error, null);
        });
      });
    });

    test('an empty batch stores nothing and returns no outcomes', async () => {
      await withInbox(make, async (inbox) => {
        assert.deepEqual(await inbox.appendBatch([]), []);
        assert.equal((await inbox.list({ limit: 5 })).total, 0);
      });
    });

    test('the same bytes twice in one batch are stored once; later copies are duplicates of the first', async () => {
      await withInbox(make, async (inbox) => {
        const out = await inbox.appendBatch([
          delivery('A', 1),
          delivery('B', 2),
          delivery('A', 3),
          delivery('A', 4),
        ]);
        assert.deepEqual(
          out.map((o) => o.duplicate),
          [false, false, true, true],
        );
        assert.equal(out[2]?.id, out[0]?.id);
        assert.equal(out[3]?.id, out[0]?.id);
        const page = await inbox.list({ limit: 10 });
        assert.equal(page.total, 2);
        assert.equal(page.data.find((d) => d.id === out[0]?.id)?.duplicates, 2);
        assert.equal(page.data.find((d) => d.id === out[0]?.id)?.receivedAt, delivery('A', 1).receivedAt);
      });
    });

    test('bytes stored by an earlier batch are not stored again and their duplicates are counted', async () => {
      await withInbox(make, async (inbox) => {
        const [first] = await inbox.appendBatch([delivery('X', 1)]);
        const again = await inbox.appendBatch([delivery('Y', 2), delivery('X', 3), delivery('X', 4)]);
        assert.deepEqual(
          again.map((o) => o.duplicate),
          [false, true, true],
        );
        assert.equal(again[1]?.id, first?.id);
        const page = await inbox.list({ limit: 10 });
        assert.equal(page.total, 2);
        assert.equal(page.data.find((d) => d.id === first?.id)?.duplicates, 2);
      });
    });

    test('list returns newest first, pages with a cursor, counts a total and filters by state', async () => {
      await withInbox(make, async (inbox) => {
        const ids: string[] = [];
        for (let i = 0; i < 5; i++)
          ids.push((await inbox.appendBatch([delivery(`page-${i}`, i)]))[0]?.id as string);
        const p1 = await inbox.list({ limit: 2 });
        assert.deepEqual(
          p1.data.map((d) => d.id),
          [ids[4], ids[3]],
        );
        assert.equal(p1.total, 5);
        assert.ok(p1.nextCursor);
        const p2 = await inbox.list({ limit: 2, cursor: p1.nextCursor });
        assert.deepEqual(
          p2.data.map((d) => d.id),
          [ids[2], ids[1]],
        );
        const p3 = await inbox.list({ limit: 2, cursor: p2.nextCursor as string });
        assert.deepEqual(
          p3.data.map((d) => d.id),
          [ids[0]],
        );
        assert.equal(p3.nextCursor, null);
        const pending = await inbox.list({ limit: 10, state: 'pending' });
        assert.equal(pending.total, 5);
        const processed = await inbox.list({ limit: 10, state: 'processed' });
        assert.deepEqual(processed, { data: [], nextCursor: null, total: 0 });
      });
    });

    test('list pages through more than ten deliveries newest first by number (10 before 9), pages never overlapping', async () => {
      await withInbox(make, async (inbox) => {
        // Ids cross from one digit to two: ordered as text, 9 would come before 12 and pages would repeat rows.
        const ids: string[] = [];
        for (let i = 0; i < 23; i++)
          ids.push((await inbox.appendBatch([delivery(`numeric-${i}`, i)]))[0]?.id as string);
        assert.ok(
          ids.some((id) => id.length !== (ids[0] as string).length),
          `ids ${ids.join(' ')} differ in length`,
        );
        const newestFirst = [...ids].sort((a, b) => Number(b) - Number(a));
        for (const limit of [1, 3, 5, 10]) {
          const seen: string[] = [];
          let cursor: string | null = null;
          do {
            const page: DeliveryPage = await inbox.list({ limit, ...(cursor ? { cursor } : {}) });
            assert.ok(page.data.length <= limit);
            seen.push(...page.data.map((d) => d.id));
            cursor = page.nextCursor;
          } while (cursor !== null && seen.length <= ids.length);
          assert.deepEqual(seen, newestFirst, `limit ${limit}`);
        }
      });
    });

    test('list rejects a cursor it did not produce with a RangeError', async () => {
      await withInbox(make, async (inbox) => {
        await assert.rejects(inbox.list({ limit: 2, cursor: '%%%' }), RangeError);
      });
    });

    test('list rejects with a RangeError a well-encoded cursor that is not a delivery id, whatever its size', async () => {
      await withInbox(make, async (inbox) => {
        await inbox.appendBatch([delivery('cursor-target')]);
        const forged = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
        for (const position of [
          '12345678901234567890', // 20 digits
          '9223372036854775808', // one past the largest 64-bit id
          '0',
          '-5',
          '1.5',
          '1e3',
          '0x10',
          ' 7',
          'abc',
        ])
          await assert.rejects(
            inbox.list({ limit: 2, cursor: forged(position) }),
            RangeError,
            `cursor position ${JSON.stringify(position)}`,
          );
        // The largest 64-bit id is a valid position: every stored delivery is below it.
        const top = await inbox.list({ limit: 2, cursor: forged('9223372036854775807') });
        assert.equal(top.data.length, 1);
      });
    });

    test('body returns the stored bytes exactly, including bytes that are not UTF-8', async () => {
      await withInbox(make, async (inbox) => {
        const all = new Uint8Array(256).map((_, i) => i);
        // A view into a larger buffer: the adapter must store only the viewed bytes.
        const backing = new Uint8Array([9, 9, 9, 0xc3, 0x28, 0xff, 0xfe, 0x00, 0xe2, 0x82, 9, 9]);
        const view = backing.subarray(3, 10);
        const escaped = bytes('{"t":"Caf\\u00e9 \\ud83d\\ude00 https:\\/\\/x.test"}');
        const out = await inbox.appendBatch([delivery(all, 1), delivery(view, 2), delivery(escaped, 3)]);
        assert.deepEqual(Buffer.from((await inbox.body(out[0]?.id as string)) ?? []), Buffer.from(all));
        assert.deepEqual(Buffer.from((await inbox.body(out[1]?.id as string)) ?? []), Buffer.from(view));
        assert.deepEqual(Buffer.from((await inbox.body(out[2]?.id as string)) ?? []), Buffer.from(escaped));
        assert.equal(out[1]?.bodyHash, sha256(view));
        assert.equal(await inbox.body('999999999'), null);
      });
    });

    test('depth counts deliveries not yet processed, once per distinct body', async () => {
      await withInbox(make, async (inbox) => {
        assert.equal(await inbox.depth(), 0);
        await inbox.appendBatch([delivery('d1'), delivery('d2'), delivery('d1'), delivery('d3')]);
        assert.equal(await inbox.depth(), 3);
      });
    });

    test('concurrent appendBatch calls with overlapping bodies all land, each body once', async () => {
      await withInbox(make, async (inbox) => {
        // Batches share bodies in opposite orders: adapters with concurrent writers must not deadlock.
        const batches = Array.from({ length: 16 }, (_, b) =>
          Array.from({ length: 12 }, (_, i) =>
            delivery(`shared-${b % 2 === 0 ? i : 11 - i}`, b * 100 + i),
          ).concat(delivery(`own-${b}`, b)),
        );
        const results = await Promise.all(batches.map((ds) => inbox.appendBatch(ds)));
        assert.equal(results.flat().length, 16 * 13);
        const page = await inbox.list({ limit: 100 });
        assert.equal(page.total, 12 + 16);
        const shared = page.data.filter((d) => results.flat().some((o) => o.id === d.id && o.duplicate));
        assert.equal(
          shared.reduce((n, d) => n + d.duplicates, 0),
          12 * 15,
        );
        assert.equal(results.flat().filter((o) => !o.duplicate).length, 12 + 16);
      });
    });

    test('ready resolves on a migrated storage', async () => {
      await withInbox(make, async (inbox) => {
        await inbox.ready();
      });
    });

    test('ready and appendBatch reject with a StorageError before migrations are applied', async () => {
      await withInbox(
        make,
        async (inbox) => {
          await assert.rejects(
            inbox.ready(),
            (e: unknown) => e instanceof StorageError && /migrat/.test(e.message),
          );
          await assert.rejects(inbox.appendBatch([delivery('too early')]), StorageError);
        },
        false,
      );
    });
  });
}
