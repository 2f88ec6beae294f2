/**
 * The behaviours every ConversationStore adapter must have (src/ports/conversation-store.ts), fed
 * through the processing store as Meta would deliver them: the conversation a mixed exchange gives,
 * the same conversation whatever the arrival order, annotations that events never touch, and one
 * conversation per person through BSUID-only users, number changes and BSUID changes.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProcessingStore } from '../../src/ports/processing-store.js';
import type { ConversationStore, ConversationView } from '../../src/ports/conversation-store.js';
import { conversationSummary } from '../../src/core/conversation-summary.js';
import { drain } from './processing-store.conformance.js';
import { envelope, PNID, statusDelivery } from '../helpers/webhook-bodies.js';

export interface ConversationsUnderTest {
  readonly processing: ProcessingStore;
  readonly conversations: ConversationStore;
  /** Stores a raw delivery (pending). */
  add(body: string): Promise<void>;
  dispose(): Promise<void>;
}

export type MakeConversations = () => Promise<ConversationsUnderTest>;

const T0 = 1767225600;
const metadata = { display_phone_number: '15551230000', phone_number_id: PNID };

interface Who {
  readonly waId?: string;
  readonly userId?: string;
  readonly name?: string;
}

/** One inbound message from `who`, shaped as Meta sends it. */
export function inbound(wamid: string, ts: number, message: Record<string, unknown>, who: Who): string {
  return envelope('messages', {
    messaging_product: 'whatsapp',
    metadata,
    contacts: [
      {
        profile: { name: who.name ?? 'Ana Ruiz' },
        ...(who.waId ? { wa_id: who.waId } : {}),
        ...(who.userId ? { user_id: who.userId } : {}),
      },
    ],
    messages: [
      {
        ...(who.waId ? { from: who.waId } : {}),
        ...(who.userId ? { from_user_id: who.userId } : {}),
        id: wamid,
        timestamp: String(ts),
        ...message,
      },
    ],
  });
}

const text = (body: string) => ({ type: 'text', text: { body } });
const ANA = { waId: '447700900123', userId: 'GB.ANA1', name: 'Ana Ruiz' };

/** Inbound text, image and button reply; a template sent, delivered, read; a failed message. */
export const MIXED: readonly string[] = [
  inbound('wamid.IN1', T0, text('Hi, where is my order 4411?'), ANA),
  inbound('wamid.IN2', T0 + 60, { type: 'image', image: { id: 'MEDIA1', mime_type: 'image/jpeg' } }, ANA),
  inbound(
    'wamid.IN3',
    T0 + 120,
    {
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id: 'ok', title: 'Confirm order' } },
    },
    ANA,
  ),
  statusDelivery({ wamid: 'wamid.OUT1', status: 'sent', ts: T0 + 180, ...ANA }),
  statusDelivery({ wamid: 'wamid.OUT1', status: 'delivered', ts: T0 + 185, ...ANA }),
  statusDelivery({ wamid: 'wamid.OUT1', status: 'read', ts: T0 + 200, ...ANA }),
  statusDelivery({ wamid: 'wamid.OUT2', status: 'failed', ts: T0 + 300, errorCode: 131026, ...ANA }),
];

/** A fixed permutation (no randomness in a specification): every second body, then the rest backwards. */
const shuffled = <T>(xs: readonly T[]): T[] => [
  ...xs.filter((_, i) => i % 2 === 1),
  ...xs.filter((_, i) => i % 2 === 0).reverse(),
];

async function using(make: MakeConversations, fn: (u: ConversationsUnderTest) => Promise<void>) {
  const u = await make();
  try {
    await fn(u);
  } finally {
    await u.dispose();
  }
}

async function feed(u: ConversationsUnderTest, bodies: readonly string[], batch = 3): Promise<void> {
  for (const b of bodies) await u.add(b);
  await drain(u.processing, batch, []);
}

export function conversationStoreConformance(label: string, make: MakeConversations): void {
  describe(`${label} conversation store`, () => {
    test('a mixed conversation gives the expected fields and a summary with the key facts', async () => {
      await using(make, async (u) => {
        await feed(u, MIXED);
        const c = (await u.conversations.getConversation('+447700900123')) as ConversationView;
        assert.ok(c !== null);
        assert.equal(c.phoneNumberId, PNID);
        assert.deepEqual(c.contact, {
          waId: '447700900123',
          userId: 'GB.ANA1',
          username: null,
          name: 'Ana Ruiz',
        });
        assert.equal(c.inboundCount, 3);
        assert.equal(c.outboundCount, 2);
        assert.equal(c.firstAt, T0 * 1000);
        assert.equal(c.lastActivityAt, (T0 + 300) * 1000);
        assert.equal(c.lastInboundAt, (T0 + 120) * 1000);
        assert.deepEqual(
          { type: c.lastUserMessage?.type, text: c.lastUserMessage?.text },
          { type: 'button_reply', text: 'Confirm order' },
        );
        assert.equal(c.lastBusinessMessage?.wamid, 'wamid.OUT2');
        assert.equal(c.lastBusinessMessage?.status, 'failed');
        assert.deepEqual(c.lastBusinessMessage?.errors, [{ code: 131026, title: 'Err' }]);
        assert.deepEqual(c.latestMedia, { wamid: 'wamid.IN2', id: 'MEDIA1', type: 'image', stored: false });
        assert.deepEqual(
          c.recentMessages.map((m) => [m.wamid, m.direction, m.type, m.status]),
          [
            ['wamid.OUT2', 'outbound', null, 'failed'],
            ['wamid.OUT1', 'outbound', null, 'read'],
            ['wamid.IN3', 'inbound', 'button_reply', null],
            ['wamid.IN2', 'inbound', 'image', null],
            ['wamid.IN1', 'inbound', 'text', null],
          ],
        );
        assert.equal(c.recentMessages[2]?.text, 'Confirm order');
        assert.equal(c.recentMessages[3]?.mediaId, 'MEDIA1');
        const summary = conversationSummary(c, (T0 + 400) * 1000);
        for (const fact of [
          'Ana Ruiz (+447700900123)',
          '5 messages (3 from them, 2 from the business)',
          "tapped 'Confirm order'",
          'window is open until 2026-01-02 00:02 UTC',
          'it failed with error 131026',
          'recommended: fallback',
        ])
          assert.ok(summary.includes(fact), `summary lacks "${fact}": ${summary}`);
        assert.deepEqual(await u.conversations.getConversation('GB.ANA1'), c, 'found by BSUID too');
      });
    });

    test('the same events in reverse and shuffled order, in other batch sizes, give the same conversation', async () => {
      const views: ConversationView[] = [];
      for (const [order, batch] of [
        [MIXED, 3],
        [[...MIXED].reverse(), 1],
        [shuffled(MIXED), 5],
      ] as const)
        await using(make, async (u) => {
          await feed(u, order, batch);
          views.push((await u.conversations.getConversation('447700900123')) as ConversationView);
        });
      assert.deepEqual(views[1], views[0]);
      assert.deepEqual(views[2], views[0]);
    });

    test('labels and notes survive later events, and the label filter finds the conversation', async () => {
      await using(make, async (u) => {
        await feed(u, MIXED.slice(0, 2));
        const patched = await u.conversations.annotateConversation(
          '447700900123',
          undefined,
          { note: 'VIP', automationNotes: 'bot handed over', labels: ['vip', 'order-4411'] },
          1_800_000_000_000,
        );
        assert.deepEqual(
          [patched?.note, patched?.automationNotes, patched?.labels],
          ['VIP', 'bot handed over', ['vip', 'order-4411']],
        );
        await feed(u, MIXED.slice(2));
        const later = await u.conversations.getConversation('GB.ANA1');
        assert.deepEqual(
          [later?.note, later?.automationNotes, later?.labels, later?.inboundCount],
          ['VIP', 'bot handed over', ['vip', 'order-4411'], 3],
        );
        const relabeled = await u.conversations.annotateConversation(
          'GB.ANA1',
          PNID,
          { labels: ['done'] },
          1_800_000_000_001,
        );
        assert.deepEqual([relabeled?.note, relabeled?.labels], ['VIP', ['done']], 'absent fields are kept');
        const vip = await u.conversations.listConversations({ label: 'vip', limit: 10 });
        assert.equal(vip.total, 0);
        const done = await u.conversations.listConversations({ label: 'done', limit: 10 });
        assert.deepEqual([done.total, done.data.map((d) => d.contactKey)], [1, ['GB.ANA1']]);
      });
    });

    test('an echo of a message sent from the business app gives the last business message its text and status', async () => {
      await using(make, async (u) => {
        const echo = envelope('smb_message_echoes', {
          messaging_product: 'whatsapp',
          metadata,
          message_echoes: [
            {
              from: '15551230000',
              to: ANA.waId,
              to_user_id: ANA.userId,
              id: 'wamid.ECHO1',
              timestamp: String(T0 + 400),
              type: 'text',
              text: { body: 'Your order ships today' },
            },
          ],
        });
        await feed(u, [
          ...MIXED,
          statusDelivery({ wamid: 'wamid.ECHO1', status: 'delivered', ts: T0 + 410, ...ANA }),
          echo,
        ]);
        const c = await u.conversations.getConversation(ANA.userId);
        assert.deepEqual(
          [
            c?.lastBusinessMessage?.wamid,
            c?.lastBusinessMessage?.text,
            c?.lastBusinessMessage?.status,
            c?.outboundCount,
          ],
          ['wamid.ECHO1', 'Your order ships today', 'delivered', 3],
        );
        assert.equal(c?.lastInboundAt, (T0 + 120) * 1000, 'an echo does not open the window');
      });
    });

    test('a BSUID-only user has one conversation, found by the BSUID', async () => {
      await using(make, async (u) => {
        const kim = { userId: 'US.KIM1', name: 'Kim' };
        await feed(u, [
          inbound('wamid.K1', T0, text('no phone here'), kim),
          statusDelivery({
            wamid: 'wamid.K2',
            status: 'sent',
            ts: T0 + 5,
            waId: '',
            userId: 'US.KIM1',
            name: 'Kim',
          }),
        ]);
        const c = await u.conversations.getConversation('US.KIM1');
        assert.deepEqual(
          [c?.contactKey, c?.contact.waId, c?.contact.name, c?.inboundCount, c?.outboundCount],
          ['US.KIM1', null, 'Kim', 1, 1],
        );
        const page = await u.conversations.listConversations({ limit: 10 });
        assert.deepEqual([page.total, page.data.map((d) => d.contactKey)], [1, ['US.KIM1']]);
      });
    });

    for (const [name, bodies, ids, current] of identityCases())
      test(`${name} keeps one conversation, in any order`, async () => {
        for (const order of [bodies, [...bodies].reverse()])
          await using(make, async (u) => {
            await feed(u, order, 1);
            const page = await u.conversations.listConversations({ limit: 10 });
            assert.deepEqual(
              [page.total, page.data.map((d) => [d.contactKey, d.inboundCount])],
              [1, [[current, 2]]],
            );
            for (const id of ids)
              assert.equal((await u.conversations.getConversation(id))?.contactKey, current, `by ${id}`);
          });
      });

    test('the list is newest activity first, filters by number, pages by cursor and counts the total', async () => {
      await using(make, async (u) => {
        await feed(
          u,
          Array.from({ length: 5 }, (_, i) =>
            inbound(`wamid.L${i}`, T0 + i, text(`m${i}`), { waId: `4470000000${i}` }),
          ),
        );
        const first = await u.conversations.listConversations({ limit: 2 });
        assert.deepEqual(
          [first.total, first.data.map((d) => d.contactKey)],
          [5, ['wa:44700000004', 'wa:44700000003']],
        );
        const second = await u.conversations.listConversations({
          limit: 2,
          cursor: first.nextCursor as string,
        });
        assert.deepEqual(
          second.data.map((d) => d.contactKey),
          ['wa:44700000002', 'wa:44700000001'],
        );
        const last = await u.conversations.listConversations({
          limit: 2,
          cursor: second.nextCursor as string,
        });
        assert.deepEqual([last.data.map((d) => d.contactKey), last.nextCursor], [['wa:44700000000'], null]);
        assert.equal(
          (await u.conversations.listConversations({ limit: 2, phoneNumberId: 'other' })).total,
          0,
        );
        await assert.rejects(
          u.conversations.listConversations({ limit: 2, cursor: 'bm90IGEgY3Vyc29y' }),
          RangeError,
        );
        assert.equal(await u.conversations.getConversation('449999'), null);
      });
    });
  });
}

/** [name, deliveries, ids that must all find it, the key of its current row]. */
function identityCases(): Array<[string, string[], string[], string]> {
  const oldNo = '447700900111';
  const newNo = '447700900222';
  return [
    [
      'a user whose number changed (no BSUID)',
      [
        inbound('wamid.N1', T0, text('old number'), { waId: oldNo }),
        inbound(
          'wamid.NSYS',
          T0 + 10,
          { type: 'system', system: { body: 'changed', wa_id: newNo, type: 'user_changed_number' } },
          { waId: oldNo },
        ),
        inbound('wamid.N2', T0 + 20, text('new number'), { waId: newNo }),
      ],
      [oldNo, newNo, `+${newNo}`],
      `wa:${newNo}`,
    ],
    [
      'a user first seen by phone, then with a BSUID',
      [
        inbound('wamid.P1', T0, text('before BSUIDs'), { waId: '447700900333' }),
        inbound('wamid.P2', T0 + 20, text('after'), { waId: '447700900333', userId: 'GB.P3' }),
      ],
      ['447700900333', 'GB.P3'],
      'GB.P3',
    ],
    [
      'a user whose BSUID changed (user_id_update)',
      [
        inbound('wamid.U1', T0, text('first id'), { waId: '447700900444', userId: 'GB.OLD4' }),
        envelope('user_id_update', {
          messaging_product: 'whatsapp',
          metadata,
          contacts: [{ profile: { name: 'Ana' }, wa_id: '447700900444' }],
          user_id_update: [
            {
              wa_id: '447700900444',
              detail: 'User id for Ana has been updated.',
              user_id: { previous: 'GB.OLD4', current: 'GB.NEW4' },
              timestamp: String(T0 + 10),
            },
          ],
        }),
        inbound('wamid.U2', T0 + 20, text('second id'), { waId: '447700900444', userId: 'GB.NEW4' }),
      ],
      ['GB.OLD4', 'GB.NEW4', '447700900444'],
      'GB.NEW4',
    ],
  ];
}
