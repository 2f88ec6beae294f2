/**
 * Destination format `conversation` through real HTTP: a local receiver gets the
 * flat conversation body BSPs send, read from the conversation store at send time, on inbound
 * messages; `batch_window_ms` makes a burst of messages one call. The clock is fixed and moved by
 * hand, so the window ends when the test says, not after a measured wait.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDestinationWharf } from '../../helpers/start-destination-wharf.js';
import { startReceiver } from '../../helpers/destination-receiver.js';
import { destinationTestBed } from '../../helpers/destination-test-bed.js';
import {
  envelope,
  PNID,
  statusDelivery,
  templateStatusDelivery,
  textDelivery,
} from '../../helpers/webhook-bodies.js';
import { waitFor } from '../../helpers/wait-for.js';
import { postgresSuite } from '../../helpers/postgres-test-db.js';

const TS = 1_767_225_600; // Unix seconds of the first message
const ANA = '447700900123';

function imageDelivery(wamid: string, ts: number, mediaId: string): string {
  return envelope('messages', {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: '15551230000', phone_number_id: PNID },
    contacts: [{ profile: { name: 'Ana Ruiz' }, wa_id: ANA }],
    messages: [
      {
        from: ANA,
        id: wamid,
        timestamp: String(ts),
        type: 'image',
        image: { id: mediaId, mime_type: 'image/jpeg', sha256: 'aGFzaA==', caption: 'the broken part' },
      },
    ],
  });
}

interface Body {
  messages: Array<{ wamid: string; direction: string; type: string; text: string | null }>;
  [field: string]: unknown;
}

async function burstIsOneCall(overrides: Record<string, string> = {}): Promise<void> {
  let now = (TS + 4) * 1000;
  const rx = await startReceiver();
  const w = await startDestinationWharf(overrides, { clock: () => now });
  try {
    const c = await w.api('POST', '/api/v1/destinations', {
      name: 'crm',
      kind: 'http',
      url: rx.url,
      format: 'conversation',
      batch_window_ms: 5000,
    });
    assert.equal(c.status, 201, c.body);
    for (let i = 0; i < 5; i++)
      assert.equal((await w.deliver(textDelivery(`wamid.B${i}`, TS + i, `part ${i + 1}`))).status, 200);
    await waitFor('five messages in the conversation', async () => {
      const v = await w.api('GET', `/api/v1/conversations/${ANA}`);
      return (v.json['message_count'] as { inbound: number } | undefined)?.inbound === 5;
    });
    assert.equal(rx.received.length, 0, 'the first message waits for its window (it ends at TS + 5 s)');
    now = (TS + 5) * 1000;
    await waitFor('the window ended: one call', () => rx.received.length === 1);
    const first = rx.received[0]?.json as Body;
    assert.deepEqual(
      first.messages.map((m) => m.text),
      ['part 5', 'part 4', 'part 3', 'part 2', 'part 1'],
      'one call carrying all five, newest first',
    );
    assert.equal(first['last_user_message'], 'part 5');
    // The clock jumps past the lease next: first let the dispatcher record that call (the metric
    // counts it after the outcome is written), or the still-leased row would be claimed and sent again.
    await waitFor('the first call recorded as delivered', async () =>
      /wharf_destination_attempts_total\{[^}]*outcome="delivered"[^}]*\} 1\b/.test(
        (await w.api('GET', '/metrics')).body,
      ),
    );
    // A later message, outside any window: with contact ordering its call can only come after the
    // rows of the first five, so a second call carrying it proves those four were never posted.
    now = (TS + 100) * 1000;
    await w.deliver(textDelivery('wamid.B6', TS + 90, 'one more thing'));
    await waitFor('the later message: a second call', () => rx.received.length === 2);
    assert.equal((rx.received[1]?.json as Body)['last_user_message'], 'one more thing');
    assert.equal((rx.received[1]?.json as Body).messages.length, 6);
  } finally {
    await w.stop();
    await rx.close();
  }
}

describe('destination format conversation (real HTTP)', { timeout: 60_000 }, () => {
  const bed = destinationTestBed();

  test('five quick messages within batch_window_ms make one call carrying all five (SQLite)', () =>
    burstIsOneCall());

  test('with batch_window_ms 0 each message gets its own call, carrying the conversation so far', async () => {
    const rx = await bed.receiver();
    const w = await bed.wharf();
    const c = await w.api('POST', '/api/v1/destinations', {
      name: 'each',
      kind: 'http',
      url: rx.url,
      format: 'conversation',
    });
    assert.equal(c.status, 201, c.body);
    for (let i = 1; i <= 3; i++) {
      await w.deliver(textDelivery(`wamid.E${i}`, TS + i, `message ${i}`));
      await waitFor(`call ${i}`, () => rx.received.length === i);
    }
    assert.deepEqual(
      rx.received.map((r) => [(r.json as Body)['last_user_message'], (r.json as Body).messages.length]),
      [
        ['message 1', 1],
        ['message 2', 2],
        ['message 3', 3],
      ],
    );
    assert.equal(new Set(rx.received.map((r) => r.headers['webhook-id'])).size, 3);
  });

  test('the body has the flat BSP fields, read from the conversation at send time: labels comma-separated, times in Unix seconds, the latest media', async () => {
    const rx = await bed.receiver();
    const w = await bed.wharf();
    const c = await w.api('POST', '/api/v1/destinations', {
      name: 'bsp',
      kind: 'http',
      url: rx.url,
      format: 'conversation',
    });
    assert.equal(c.status, 201, c.body);
    // Statuses are not inbound messages: the default filter (message.) posts nothing for them.
    await w.deliver(statusDelivery({ wamid: 'wamid.OUT1', status: 'delivered', ts: TS }));
    await w.deliver(textDelivery('wamid.F1', TS + 1, 'Hello, my order is late'));
    await waitFor('first call', () => rx.received.length === 1);
    const patch = await w.api('PATCH', `/api/v1/conversations/${ANA}`, {
      labels: ['vip', 'late-order'],
      note: 'Called on Monday',
      automation_notes: 'bot handed over',
    });
    assert.equal(patch.status, 200, patch.body);
    await w.deliver(imageDelivery('wamid.F2', TS + 2, 'MEDIA-F2'));
    await waitFor('second call', () => rx.received.length === 2);
    const body = rx.received[1]?.json as Body;
    const { messages, summary, ...flat } = body;
    assert.deepEqual(flat, {
      phone: ANA,
      name: 'Ana Ruiz',
      user_id: null,
      last_user_message: 'the broken part',
      last_system_message: null,
      message_type: 'image',
      last_user_message_at_unix: TS + 2,
      last_system_message_at_unix: null,
      media_url: 'MEDIA-F2',
      note: 'Called on Monday',
      automation_notes: 'bot handed over',
      labels: 'vip,late-order',
    });
    assert.deepEqual(
      messages.map((m) => [m.wamid, m.direction, m.type]),
      [
        ['wamid.F2', 'inbound', 'image'],
        ['wamid.F1', 'inbound', 'text'],
        ['wamid.OUT1', 'outbound', null],
      ],
      'both directions, newest first',
    );
    assert.equal(
      (rx.received[0]?.json as Body)['last_user_message'],
      'Hello, my order is late',
      'the status made no call of its own',
    );
    assert.match(String(summary), /Ana Ruiz/);
    assert.match(String(summary), /Hello, my order is late|the broken part|photo/);
    assert.equal(rx.received[1]?.headers['content-type'], 'application/json');
  });

  test('an event without a contact cannot make a conversation body: the attempt fails and the log says why', async () => {
    const rx = await bed.receiver();
    const w = await bed.wharf();
    const c = await w.api('POST', '/api/v1/destinations', {
      name: 'misfiltered',
      kind: 'http',
      url: rx.url,
      format: 'conversation',
      filter: { events: ['template.'] },
    });
    assert.equal(c.status, 201, c.body);
    await w.deliver(templateStatusDelivery(77, 'PAUSED', TS));
    let attempts: Array<Record<string, unknown>> = [];
    await waitFor('the attempt logged', async () => {
      const a = await w.api('GET', `/api/v1/destinations/${String(c.json['id'])}/attempts`);
      attempts = (a?.json['data'] ?? []) as typeof attempts;
      return attempts.length > 0;
    });
    assert.equal(attempts[0]?.['ok'], false);
    assert.match(
      String(attempts[0]?.['error']),
      /format conversation: template\.\S+ has no contact and number/,
    );
    assert.equal(rx.received.length, 0, 'nothing half-formed was posted');
  });

  test('a conversation destination defaults to contact ordering and the message. filter; test posts a sample conversation', async () => {
    const rx = await bed.receiver();
    const w = await bed.wharf();
    const c = await w.api('POST', '/api/v1/destinations', {
      name: 'defaults',
      kind: 'http',
      url: rx.url,
      format: 'conversation',
    });
    assert.equal(c.status, 201, c.body);
    assert.equal(c.json['ordering'], 'contact');
    assert.deepEqual(c.json['filter'], { events: ['message.'] });
    assert.equal(c.json['batch_window_ms'], 0);
    const t = await w.api('POST', `/api/v1/destinations/${c.json['id']}/test`);
    assert.equal(t.status, 200, t.body);
    assert.equal(t.json['ok'], true);
    const sample = rx.received.at(-1)?.json as Body;
    assert.equal(sample['phone'], '15550000001');
    assert.equal(sample.messages.length, 1);
    assert.equal(sample['labels'], '');
    // An event destination changed to conversation gets the same defaults; a window on another format is refused.
    const e = await w.api('POST', '/api/v1/destinations', { name: 'plain', kind: 'http', url: rx.url });
    const p = await w.api('PATCH', `/api/v1/destinations/${e.json['id']}`, {
      format: 'conversation',
      batch_window_ms: 2000,
    });
    assert.equal(p.status, 200, p.body);
    assert.equal(p.json['ordering'], 'contact');
    assert.deepEqual(p.json['filter'], { events: ['message.'] });
    assert.equal(p.json['batch_window_ms'], 2000);
    const bad = await w.api('PATCH', `/api/v1/destinations/${e.json['id']}`, { format: 'event' });
    assert.equal(bad.status, 422, bad.body);
    assert.match(String((bad.json['error'] as { message: string }).message), /batch_window_ms applies only/);
  });
});

await postgresSuite('destination format conversation on PostgreSQL', (db) => {
  test(
    'five quick messages within batch_window_ms make one call carrying all five (PostgreSQL)',
    { timeout: 60_000 },
    async () => burstIsOneCall({ DATABASE_URL: await db.freshSchemaUrl() }),
  );
});
