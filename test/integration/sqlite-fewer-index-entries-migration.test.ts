import { test } from 'node:test';
import assert from 'node:assert/strict';
import { migrate } from '../../src/adapters/sqlite/migrate.js';
import { SqliteProcessingStore } from '../../src/adapters/sqlite/processing-store.js';
import { SqliteReadStore } from '../../src/adapters/sqlite/read-store.js';
import { SqliteConversationStore } from '../../src/adapters/sqlite/conversation-store.js';
import type { EventQuery } from '../../src/ports/read-store.js';
import { withSqliteBeforeMigration } from '../helpers/sqlite-before-migration.js';
import { insertDelivery } from '../helpers/processing-harness.js';
import { drain } from '../conformance/processing-store.conformance.js';
import { PNID, statusDelivery, templateStatusDelivery, textDelivery } from '../helpers/webhook-bodies.js';

const TS = 1_767_225_600;
const BSUID = 'US.13491208655302741918';

const FILTERS: EventQuery[] = [
  {},
  { name: 'status.read' },
  { name: 'status.' },
  { phoneNumberId: PNID },
  { contact: '+447700900123' },
  { contact: BSUID },
  { wamid: 'wamid.OUT1' },
  { wamid: 'wamid.IN1' },
  { since: (TS + 60) * 1000 },
  { name: 'message.text', contact: '447700900123' },
];

// Migration 0019 rebuilds the events' filter indexes (on the column alone, without NULL entries)
// and drops conversation_messages_recent: every filtered read and every conversation answers as it
// did before, for the events stored before and after it.
test('migration 0019: every event filter and every conversation read answers the same before and after it', async () => {
  await withSqliteBeforeMigration(19, async (db, path) => {
    const deliveries = [
      textDelivery('wamid.IN1', TS, 'hola', '447700900123', BSUID),
      statusDelivery(
        { wamid: 'wamid.OUT1', status: 'sent', ts: TS + 30, userId: BSUID },
        { wamid: 'wamid.OUT2', status: 'sent', ts: TS + 40 },
      ),
      statusDelivery({ wamid: 'wamid.OUT1', status: 'read', ts: TS + 90, userId: BSUID }),
      templateStatusDelivery(1234, 'APPROVED', TS + 120),
    ];
    deliveries.forEach((body, i) => insertDelivery(db, body, i));
    const answers = async () => {
      const reads = new SqliteReadStore(path);
      const conversations = new SqliteConversationStore(path);
      try {
        const pages = [];
        for (const f of FILTERS) {
          const first = await reads.listEvents({ ...f, limit: 2 });
          const next =
            first.nextCursor === null
              ? null
              : await reads.listEvents({ ...f, limit: 2, cursor: first.nextCursor });
          pages.push({ f, first, next, stream: await reads.eventsAfter('0', f, 10) });
        }
        return {
          pages,
          byPhone: await conversations.getConversation('447700900123'),
          byBsuid: await conversations.getConversation(BSUID),
          list: await conversations.listConversations({ limit: 10 }),
        };
      } finally {
        await conversations.close();
        await reads.close();
      }
    };
    const store = new SqliteProcessingStore(path);
    try {
      await drain(store);
      const before = await answers();
      // Every filter finds something here, so an index that lost rows would show.
      for (const p of before.pages) assert.ok(p.stream.length > 0, JSON.stringify(p.f));
      assert.equal(before.byPhone?.recentMessages.length, 3);
      migrate(db, 0);
      assert.deepEqual(await answers(), before);
      // Events stored after the migration are found through the new indexes, and the conversation's
      // last messages take in the new one, newest first.
      insertDelivery(
        db,
        statusDelivery({ wamid: 'wamid.OUT3', status: 'sent', ts: TS + 200, userId: BSUID }),
      );
      await drain(store);
      const after = await answers();
      const wamids = (q: EventQuery) =>
        after.pages.find((p) => p.f === q)?.first.data.map((e) => e.event.key.split(':')[1]);
      assert.deepEqual(wamids(FILTERS[5] as EventQuery), ['wamid.OUT3', 'wamid.OUT1']);
      assert.deepEqual(
        after.byBsuid?.recentMessages.map((m) => m.wamid),
        ['wamid.OUT3', ...(before.byBsuid?.recentMessages.map((m) => m.wamid) ?? [])],
      );
    } finally {
      await store.close();
    }
  });
});
