import { join } from 'node:path';
import { openDatabase, type SqliteDatabase } from '../../src/adapters/sqlite/open-database.js';
import { migrate } from '../../src/adapters/sqlite/migrate.js';
import { SqliteOutbox } from '../../src/adapters/sqlite/outbox.js';
import { tempDir } from './temp-dir.js';
import { setDeliveryState } from './processing-harness.js';

/**
 * A migrated SQLite file with direct SQL access, to put deliveries, events and outbox rows in the
 * state a test needs without going through the processor.
 */
export interface OutboxDb {
  readonly path: string;
  readonly db: SqliteDatabase;
  readonly outbox: SqliteOutbox;
  addDelivery(receivedAt: number, state?: string): number;
  addEvent(e: {
    key: string;
    name?: string;
    deliveryId?: number;
    phoneNumberId?: string;
    /** null: an event without a contact. */
    waId?: string | null;
    occurredAt?: number;
  }): number;
  addRow(eventId: number, target: string, opts?: { state?: string; nextAttemptAt?: number }): number;
  row(id: number): Record<string, unknown>;
  dispose(): Promise<void>;
}

export function createOutboxDb(now = 1_767_225_600_000): OutboxDb {
  const dir = tempDir('wharf-outbox-');
  const path = join(dir.path, 'wharf.db');
  const db = openDatabase(path);
  migrate(db, now);
  const outbox = new SqliteOutbox(path);
  let n = 0;
  return {
    path,
    db,
    outbox,
    addDelivery(receivedAt, state = 'processed') {
      n++;
      const id = Number(
        db
          .prepare(
            `INSERT INTO deliveries (received_at, body_hash, body, size, secret_index, request_id)
             VALUES (?, ?, ?, 2, 0, ?)`,
          )
          .run(receivedAt, `hash-${n}-${receivedAt}`, Buffer.from('{}'), `req-${n}`).lastInsertRowid,
      );
      setDeliveryState(db, id, state, receivedAt);
      return id;
    },
    addEvent(e) {
      return Number(
        db
          .prepare(
            `INSERT INTO events (key, name, field, occurred_at, waba_id, phone_number_id, contact_wa_id, wamid, data, raw, delivery_id, created_at)
             VALUES (?, ?, 'messages', ?, 'waba-1', ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            e.key,
            e.name ?? 'message.text',
            e.occurredAt ?? now,
            e.phoneNumberId ?? '900000000000001',
            e.waId === undefined ? '447700900123' : e.waId,
            `wamid.${e.key}`,
            JSON.stringify({ text: { body: `hello ${e.key}` } }),
            JSON.stringify({ id: `wamid.${e.key}`, type: 'text' }),
            e.deliveryId ?? null,
            now,
          ).lastInsertRowid,
      );
    },
    addRow(eventId, target, opts = {}) {
      return Number(
        db
          .prepare(
            `INSERT INTO outbox (event_id, target, state, next_attempt_at, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?)`,
          )
          .run(eventId, target, opts.state ?? 'pending', opts.nextAttemptAt ?? now, now, now).lastInsertRowid,
      );
    },
    row(id) {
      return db.prepare('SELECT * FROM outbox WHERE id = ?').get(id) as Record<string, unknown>;
    },
    async dispose() {
      await outbox.close();
      db.close();
      dir.cleanup();
    },
  };
}
