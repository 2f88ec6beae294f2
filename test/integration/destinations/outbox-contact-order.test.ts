/**
 * SQLite outbox rows carry their occurrence order (`order_at`, read by ordering `contact` and format
 * `conversation`) only when their destination reads it
 * (migrations/sqlite/0017_contact_keys_where_ordered.sql): on any other row its entry in
 * outbox_contact_order only cost its removal when the row was marked delivered. Every destination
 * row keeps its contact key.
 */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createOutboxDb, type OutboxDb } from '../../helpers/outbox-db.js';

const T0 = 1_767_225_600_000;

describe('occurrence order of SQLite outbox rows', () => {
  let x: OutboxDb;
  beforeEach(() => {
    x = createOutboxDb(T0);
  });
  afterEach(() => x.dispose());

  const destination = (id: string, o: { ordering?: string; format?: string } = {}) =>
    x.db
      .prepare(
        `INSERT INTO destinations (id, name, kind, format, settings, timeout_ms, max_in_flight, ordering,
           secret_current, created_at, updated_at)
         VALUES (?, ?, 'http', ?, '{}', 10000, 10, ?, 'whsec_test', ?, ?)`,
      )
      .run(id, id, o.format ?? 'event', o.ordering ?? 'none', T0, T0);
  const keys = (rowId: number) => {
    const r = x.row(rowId);
    return [r['contact_key'], r['order_at']];
  };
  const rowFor = (target: string, key: string, occurredAt = T0 + 5) =>
    x.addRow(x.addEvent({ key, waId: '111', occurredAt }), target);
  const indexed = () =>
    x.db
      .prepare(
        `SELECT count(*) FROM outbox INDEXED BY outbox_contact_order
         WHERE state = 'pending' AND contact_key IS NOT NULL AND order_at IS NOT NULL`,
      )
      .pluck()
      .get();

  test('a destination ordered by contact, or of format conversation, gets the order; an unordered one only the contact key', () => {
    destination('dst_ordered', { ordering: 'contact' });
    destination('dst_conversation', { format: 'conversation' });
    destination('dst_plain');
    assert.deepEqual(keys(rowFor('destination:dst_ordered', 'k1')), ['111', T0 + 5]);
    assert.deepEqual(keys(rowFor('destination:dst_conversation', 'k2')), ['111', T0 + 5]);
    assert.deepEqual(keys(rowFor('destination:dst_plain', 'k3')), ['111', null]);
    assert.deepEqual(keys(rowFor('handler-target', 'k4')), [null, null], 'a handler row never had either');
    assert.equal(indexed(), 2, 'only the rows that are read are in outbox_contact_order');
  });

  test('a destination target without a destination row keeps getting both, as before', () => {
    assert.deepEqual(keys(rowFor('destination:dst_unknown', 'k1')), ['111', T0 + 5]);
  });

  test('changed to ordering contact: its pending rows get their order at once, delivered rows stay as they were', () => {
    destination('dst_later');
    const pending = rowFor('destination:dst_later', 'k1', T0 + 7);
    const delivered = rowFor('destination:dst_later', 'k2');
    x.db.prepare(`UPDATE outbox SET state = 'delivered' WHERE id = ?`).run(delivered);
    x.db.prepare(`UPDATE destinations SET ordering = 'contact' WHERE id = 'dst_later'`).run();
    assert.deepEqual(keys(pending), ['111', T0 + 7]);
    assert.deepEqual(keys(delivered), ['111', null]);
  });

  test('changed to format conversation: the same', () => {
    destination('dst_conv_later');
    const pending = rowFor('destination:dst_conv_later', 'k1');
    x.db.prepare(`UPDATE destinations SET format = 'conversation' WHERE id = 'dst_conv_later'`).run();
    assert.deepEqual(keys(pending), ['111', T0 + 5]);
  });
});
