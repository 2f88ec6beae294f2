/**
 * The claimed rows' JSON built by SQLite (src/adapters/sqlite/claimed-rows-json.ts), which the
 * dispatch writer thread hands to the main thread, parses to exactly what SqliteOutbox.claimDue
 * returns for the same rows: every optional field absent or present alike, `raw` from the row or
 * from its delivery, a data text that is not JSON kept as text.
 */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createOutboxDb, type OutboxDb } from '../helpers/outbox-db.js';
import { claimedRowsJson } from '../../src/adapters/sqlite/claimed-rows-json.js';
import { statusDelivery, statusItem } from '../helpers/webhook-bodies.js';
import { statusKey } from '../../src/core/event-key.js';

const T0 = 1_767_225_600_000;

describe('claimed rows as JSON text', () => {
  let x: OutboxDb;
  beforeEach(() => {
    x = createOutboxDb(T0);
  });
  afterEach(() => x.dispose());

  const event = (key: string, columns: Record<string, unknown>) => {
    const id = x.addEvent({ key });
    const names = Object.keys(columns);
    if (names.length > 0)
      x.db
        .prepare(`UPDATE events SET ${names.map((n) => `${n} = ?`).join(', ')} WHERE id = ?`)
        .run(...Object.values(columns), id);
    return x.addRow(id, 'destination:dst_json');
  };

  test('parses to the rows claimDue returns, whatever the event row holds', async () => {
    const ids = [
      event('plain', {}),
      event('no-contact', { contact_wa_id: null, phone_number_id: '', wamid: null }),
      event('full-contact', {
        contact_user_id: 'US.123',
        contact_parent_user_id: 'US.P',
        contact_username: '@ana',
        contact_name: 'Ana "Quotes" \u00e9\u{1F600}',
        display_phone_number: '15550001111',
      }),
      event('no-time', { occurred_at: null, waba_id: '' }),
      event('bad-json', { data: 'not json {', raw: 'also not json' }),
      event('null-json', { data: 'null', raw: 'null' }),
      event('raw-missing', { raw: null, delivery_id: null }),
      event('unicode', {
        data: JSON.stringify({ text: { body: 'h\u00e9llo \\ "x" \u2028 \u{1F44B}' }, n: 1.5e300 }),
      }),
    ];
    x.db.prepare('UPDATE outbox SET attempts = 2, last_delay_ms = 5000 WHERE id = ?').run(ids[0]);
    const fromJson = JSON.parse(claimedRowsJson(x.db, ids)) as unknown[];
    const claimed = await x.outbox.claimDue({
      workerId: 'w1',
      perTarget: [{ target: 'destination:dst_json', limit: 100 }],
      leaseMs: 1000,
      now: T0,
    });
    assert.equal(claimed.length, ids.length);
    assert.deepStrictEqual(fromJson, JSON.parse(JSON.stringify(claimed)));
    assert.deepStrictEqual(fromJson, claimed, 'the same values, the same fields absent');
  });

  test("an event stored without raw gets its item from its delivery's body, as claimDue reads it", async () => {
    const body = statusDelivery({ wamid: 'wamid.RAW1', status: 'delivered', ts: 1_767_225_600 });
    const delivery = x.db
      .prepare(
        `INSERT INTO deliveries (received_at, body_hash, body, size, secret_index, request_id)
         VALUES (?, 'h-raw', ?, ?, 0, 'r-raw')`,
      )
      .run(T0, Buffer.from(body), body.length).lastInsertRowid;
    const row = event(statusKey('wamid.RAW1', 'delivered'), { raw: null, delivery_id: delivery });
    const [fromJson] = JSON.parse(claimedRowsJson(x.db, [row])) as Array<{ event: { raw: unknown } }>;
    assert.deepStrictEqual(
      fromJson?.event.raw,
      statusItem({ wamid: 'wamid.RAW1', status: 'delivered', ts: 1_767_225_600 }),
    );
    const [claimed] = await x.outbox.claimDue({
      workerId: 'w1',
      perTarget: [{ target: 'destination:dst_json', limit: 10 }],
      leaseMs: 1000,
      now: T0,
    });
    assert.deepStrictEqual(fromJson, claimed);
  });
});
