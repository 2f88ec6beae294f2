/**
 * The claimed rows' JSON built by SQLite (src/adapters/sqlite/claimed-rows-json.ts), which the
 * dispatch writer thread hands to the main thread, parses to exactly what SqliteOutbox.claimDue
 * returns for the same rows: every optional field absent or present alike, `raw` from the row or
 * from its delivery, a data text that is not JSON kept as text; and the format `event` body made with
 * each raw kept as text (and a sink's row) is the one made of the parsed event. An event whose item's
 * path in its delivery body was stored (raw_at) gets the item's text out of the body as the body
 * spells it (Meta's escapes kept): the same value.
 */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createOutboxDb, type OutboxDb } from '../helpers/outbox-db.js';
import { claimedRowsJson, parseClaimedRows } from '../../src/adapters/sqlite/claimed-rows-json.js';
import { statusDelivery, statusItem } from '../helpers/webhook-bodies.js';
import { statusKey } from '../../src/core/event-key.js';
import { eventBody } from '../../src/app/outbound-message.js';
import { eventJson } from '../../src/events/event-json.js';
import { sinkRow } from '../../src/core/destinations/sink-row.js';
import { rawTextOf } from '../../src/events/raw-text.js';
import { escapeJson, serializeLikeMeta } from '../../src/simulator/escape-json.js';
import { SqliteProcessingStore } from '../../src/adapters/sqlite/processing-store.js';
import { Processor } from '../../src/app/processor.js';
import { createLogger } from '../../src/observability/create-logger.js';
import { insertDelivery } from '../helpers/processing-harness.js';
import type { ClaimedRow } from '../../src/ports/outbox.js';

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
    const fromJson = parseClaimedRows(claimedRowsJson(x.db, ids));
    const claimed = await x.outbox.claimDue({
      workerId: 'w1',
      perTarget: [{ target: 'destination:dst_json', limit: 100 }],
      leaseMs: 1000,
      now: T0,
    });
    assert.equal(claimed.length, ids.length);
    assert.deepStrictEqual(fromJson, JSON.parse(JSON.stringify(claimed)));
    assert.deepStrictEqual(fromJson, claimed, 'the same values, the same fields absent');
    // Bodies of rows not read yet: each raw still text, spliced in.
    const fresh = parseClaimedRows(claimedRowsJson(x.db, ids));
    fresh.forEach((row, i) => {
      assert.ok(rawTextOf(row.event) !== undefined, 'raw still text before it is read');
      const parsed = claimed[i] as ClaimedRow;
      assert.deepStrictEqual(
        JSON.parse(eventBody({ id: row.eventId ?? '', event: row.event })),
        JSON.parse(JSON.stringify(eventJson({ id: parsed.eventId ?? '', event: parsed.event }))),
      );
    });
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
    const [fromJson] = parseClaimedRows(claimedRowsJson(x.db, [row]));
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
    // The item serialized from the delivery: the body is byte for byte the one of the parsed event.
    const [unread] = parseClaimedRows(claimedRowsJson(x.db, [row]));
    assert.equal(
      eventBody({ id: unread!.eventId ?? '', event: unread!.event }),
      JSON.stringify(eventJson({ id: claimed!.eventId ?? '', event: claimed!.event })),
    );
    assert.deepStrictEqual(
      sinkRow(unread!.event, unread!.eventId),
      sinkRow(claimed!.event, claimed!.eventId),
    );
  });

  const storeDelivery = (body: string | Buffer, hash: string) =>
    Number(
      x.db
        .prepare(
          `INSERT INTO deliveries (received_at, body_hash, body, size, secret_index, request_id)
           VALUES (?, ?, ?, ?, 0, ?)`,
        )
        .run(T0, hash, Buffer.from(body), body.length, `r-${hash}`).lastInsertRowid,
    );

  test("an event with its item's path gets the item's text out of its delivery body, the value claimDue reads", async () => {
    const spec = { wamid: 'wamid.PATH1', status: 'failed' as const, ts: 1_767_225_600, errorCode: 131026 };
    const item = {
      ...statusItem(spec),
      errors: [{ code: 131026, title: 'Niño/día', href: 'https://x.test/a' }],
    };
    const parsed = JSON.parse(statusDelivery({ ...spec, wamid: 'wamid.PATH0' }, spec)) as {
      entry: Array<{ changes: Array<{ value: { statuses: unknown[] } }> }>;
    };
    parsed.entry[0]!.changes[0]!.value.statuses[1] = item;
    // As Meta writes it: non-ASCII and slashes escaped.
    const body = escapeJson(parsed);
    assert.match(body, /Ni\\u00f1o\\\/d/);
    const delivery = storeDelivery(body, 'h-path');
    const key = statusKey('wamid.PATH1', 'failed');
    const row = event(key, {
      raw: null,
      delivery_id: delivery,
      raw_at: '$.entry[0].changes[0].value.statuses[1]',
    });
    const [fromJson] = parseClaimedRows(claimedRowsJson(x.db, [row]));
    assert.equal(rawTextOf(fromJson!.event), escapeJson(item));
    const [claimed] = await x.outbox.claimDue({
      workerId: 'w1',
      perTarget: [{ target: 'destination:dst_json', limit: 10 }],
      leaseMs: 1000,
      now: T0,
    });
    assert.deepStrictEqual(fromJson, claimed);
    assert.deepStrictEqual(fromJson?.event.raw, item);
  });

  test('a body SQLite cannot read as JSON (after a byte order mark) gives the item the way it was read before', () => {
    const spec = { wamid: 'wamid.BOM1', status: 'read' as const, ts: 1_767_225_600 };
    const delivery = storeDelivery(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(statusDelivery(spec))]),
      'h-bom',
    );
    const row = event(statusKey('wamid.BOM1', 'read'), {
      raw: null,
      delivery_id: delivery,
      raw_at: '$.entry[0].changes[0].value.statuses[0]',
    });
    const [fromJson] = parseClaimedRows(claimedRowsJson(x.db, [row]));
    assert.deepStrictEqual(fromJson?.event.raw, statusItem(spec));
  });

  test("processed on SQLite, every event of a delivery has its item's path, and its claim reads the item by it", async () => {
    const specs = ['sent', 'delivered', 'read'].map((status, i) => ({
      wamid: `wamid.PROC${i}`,
      status: status as 'sent' | 'delivered' | 'read',
      ts: 1_767_225_600 + i,
    }));
    insertDelivery(x.db, serializeLikeMeta(JSON.parse(statusDelivery(...specs))), T0);
    const store = new SqliteProcessingStore(x.path);
    const processor = new Processor({
      store,
      targets: [{ id: 'destination:dst_json', wants: () => true }],
      logger: createLogger('silent'),
      batchSize: 10,
      leaseMs: 60_000,
    });
    assert.equal(await processor.drain(), 3);
    await store.close();
    const paths = x.db.prepare('SELECT raw_at FROM events ORDER BY id').pluck().all();
    assert.deepEqual(
      paths,
      [0, 1, 2].map((i) => `$.entry[0].changes[0].value.statuses[${i}]`),
    );
    const ids = x.db.prepare('SELECT id FROM outbox ORDER BY id').pluck().all() as number[];
    const rows = parseClaimedRows(claimedRowsJson(x.db, ids));
    assert.deepStrictEqual(
      rows.map((r) => r.event.raw),
      specs.map((spec) => statusItem(spec)),
    );
  });
});
