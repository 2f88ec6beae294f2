/**
 * SQLite outbox rows carry a contact key (for ordering `contact` and format `conversation`) only
 * when their destination reads it (migrations/sqlite/0017_contact_keys_where_ordered.sql): the key
 * of any other row only cost an index entry that marking it delivered had to remove.
 */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createOutboxDb, type OutboxDb } from '../../helpers/outbox-db.js';

const T0 = 1_767_225_600_000;

describe('contact keys of SQLite outbox rows', () => {
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
  const keyOf = (rowId: number) => x.row(rowId)['contact_key'];
  const rowFor = (target: string, key: string, occurredAt = T0) =>
    x.addRow(x.addEvent({ key, waId: '111', occurredAt }), target);

  test('a destination ordered by contact, or of format conversation, gets keys; an unordered one does not', () => {
    destination('dst_ordered', { ordering: 'contact' });
    destination('dst_conversation', { format: 'conversation' });
    destination('dst_plain');
    assert.equal(keyOf(rowFor('destination:dst_ordered', 'k1')), '111');
    assert.equal(keyOf(rowFor('destination:dst_conversation', 'k2')), '111');
    assert.equal(keyOf(rowFor('destination:dst_plain', 'k3')), null);
    assert.equal(keyOf(rowFor('handler-target', 'k4')), null, 'a handler row never had one');
  });

  test('a destination target without a destination row keeps getting keys, as before', () => {
    assert.equal(keyOf(rowFor('destination:dst_unknown', 'k1')), '111');
  });

  test('changed to ordering contact: its pending rows get their keys and occurrence times at once, delivered rows stay as they were', () => {
    destination('dst_later');
    const pending = rowFor('destination:dst_later', 'k1', T0 + 7);
    const delivered = rowFor('destination:dst_later', 'k2');
    x.db.prepare(`UPDATE outbox SET state = 'delivered' WHERE id = ?`).run(delivered);
    x.db.prepare(`UPDATE destinations SET ordering = 'contact' WHERE id = 'dst_later'`).run();
    assert.equal(keyOf(pending), '111');
    assert.equal(x.row(pending)['order_at'], T0 + 7);
    assert.equal(keyOf(delivered), null);
  });

  test('changed to format conversation: the same', () => {
    destination('dst_conv_later');
    const pending = rowFor('destination:dst_conv_later', 'k1');
    x.db.prepare(`UPDATE destinations SET format = 'conversation' WHERE id = 'dst_conv_later'`).run();
    assert.equal(keyOf(pending), '111');
  });
});
