/**
 * The `raw` item of events stored without it. The SQLite processor leaves `events.raw` NULL for an
 * event of a delivery (docs/benchmarks.md "Processing": the item's JSON was over a third of the
 * row the commit writes): the item is in the delivery body, which is kept as long as its events
 * (retention prunes a delivery with its events). Reading such a row parses its delivery again and
 * takes the item of the event with the row's key, the same value the processor had (normalizing is
 * a pure function of the body). Rows stored with their `raw` (older rows, Wharf's own operational
 * events) keep it.
 */
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './open-database.js';
import type { EventRow } from './event-from-row.js';
import { parseDelivery } from '../../core/parse-delivery.js';
import { normalizeDelivery } from '../../core/normalize-delivery.js';

const bodiesOf = new WeakMap<SqliteDatabase, Statement>();

/** The raw item of each row whose `raw` column is NULL and whose delivery is stored, by row. */
export function rawOfRows(db: SqliteDatabase, rows: readonly EventRow[]): Map<EventRow, unknown> {
  const found = new Map<EventRow, unknown>();
  const byDelivery = new Map<number, EventRow[]>();
  for (const r of rows) {
    const deliveryId = r['delivery_id'];
    if (r['raw'] !== null || typeof deliveryId !== 'number') continue;
    const list = byDelivery.get(deliveryId);
    if (list) list.push(r);
    else byDelivery.set(deliveryId, [r]);
  }
  if (byDelivery.size === 0) return found;
  let bodies = bodiesOf.get(db);
  if (bodies === undefined) {
    bodies = db.prepare('SELECT id, body FROM deliveries WHERE id IN (SELECT value FROM json_each(?))');
    bodiesOf.set(db, bodies);
  }
  for (const d of bodies.all(JSON.stringify([...byDelivery.keys()])) as Array<{ id: number; body: Buffer }>) {
    const parsed = parseDelivery(d.body);
    if (!parsed.ok) continue;
    // The first event of a key, as the processor stored it (a key twice in a delivery is one event).
    const items = new Map<string, unknown>();
    for (const e of normalizeDelivery(parsed.envelope)) if (!items.has(e.key)) items.set(e.key, e.raw);
    for (const r of byDelivery.get(d.id) ?? []) {
      const key = r['key'] as string;
      if (items.has(key)) found.set(r, items.get(key));
    }
  }
  return found;
}
