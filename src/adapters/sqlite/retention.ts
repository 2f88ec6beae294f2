/**
 * SQLite retention (src/ports/retention.ts). Its own connection; a batch is one short IMMEDIATE
 * transaction, so the inbox writer thread and the processor wait for it no longer than for a
 * processing commit.
 *
 * How SQLite keeps delivery state matters here (docs/architecture.md, "Processing"): a delivery's outcome is a
 * row of delivery_outcomes (migration 0008), a lease a row of delivery_leases (0006), and
 * delivery_cursor says below which id every delivery has one or the other. Removing a settled
 * delivery below the cursor with its outcome row keeps that true; the claim never looks at ids
 * below the cursor except through leases, and a leased delivery is never pruned.
 */
import type { PruneBatch, PruneRequest, Retention } from '../../ports/retention.js';
import { transientSqlite } from './transient-sqlite.js';
import { openDatabase, type SqliteDatabase } from './open-database.js';
import { checkPruneRequest } from '../../core/check-prune-request.js';

/**
 * The next deliveries that may go, oldest id first. `@bound` (the delivery received last before the
 * cut-off, found on the received_at index) turns the search into a range of the primary key: rows
 * are appended in arrival order, so the range holds the old rows and no recent ones are read. A
 * row received before the cut-off but stored after that bound (another process's clock) waits for
 * the next run.
 */
const CANDIDATES = `SELECT d.id FROM deliveries d JOIN delivery_outcomes o ON o.delivery_id = d.id
  WHERE d.id > @after AND d.id <= @bound AND d.id < @newest AND d.received_at < @cut
    AND o.state IN ('processed', 'invalid')
    AND NOT EXISTS (SELECT 1 FROM delivery_leases l WHERE l.delivery_id = d.id)
    AND NOT EXISTS (SELECT 1 FROM events e JOIN outbox x ON x.event_id = e.id
                    WHERE e.delivery_id = d.id AND x.state <> 'delivered')
  ORDER BY d.id LIMIT @limit`;

const IDS = 'SELECT value FROM json_each(?)';

export class SqliteRetention implements Retention {
  private readonly db: SqliteDatabase;
  private readonly batch: (r: PruneRequest) => PruneBatch;

  /** `backgroundCheckpoints`: a Wharf process checkpoints in its own thread (checkpointer-worker.ts). */
  constructor(path: string, options: { busyTimeoutMs?: number; backgroundCheckpoints?: boolean } = {}) {
    this.db = openDatabase(path, { busyTimeoutMs: options.busyTimeoutMs ?? 5000 });
    if (options.backgroundCheckpoints === true) this.db.pragma('wal_autocheckpoint = 0');
    const db = this.db;
    const bound = db
      .prepare(
        'SELECT id FROM deliveries INDEXED BY deliveries_received_at WHERE received_at < ? ORDER BY received_at DESC LIMIT 1',
      )
      .pluck();
    const newest = db.prepare('SELECT max(id) FROM deliveries').pluck();
    const candidates = db.prepare(CANDIDATES).pluck();
    const eventsOf = `SELECT id FROM events WHERE delivery_id IN (${IDS})`;
    const count = {
      events: db.prepare(`SELECT count(*) FROM events WHERE delivery_id IN (${IDS})`).pluck(),
      outbox: db.prepare(`SELECT count(*) FROM outbox WHERE event_id IN (${eventsOf})`).pluck(),
    };
    // Children first: outbox rows reference events (foreign_keys is on).
    const remove = {
      outbox: db.prepare(`DELETE FROM outbox WHERE event_id IN (${eventsOf})`),
      events: db.prepare(`DELETE FROM events WHERE delivery_id IN (${IDS})`),
      outcomes: db.prepare(`DELETE FROM delivery_outcomes WHERE delivery_id IN (${IDS})`),
      deliveries: db.prepare(`DELETE FROM deliveries WHERE id IN (${IDS})`),
    };
    const run = (r: PruneRequest): PruneBatch => {
      const cut = Math.min(r.olderThan, r.protectAfter);
      const upTo = bound.get(cut) as number | undefined;
      if (upTo === undefined) return { counts: { deliveries: 0, events: 0, outbox: 0 }, next: null };
      const ids = candidates.all({
        after: r.after === undefined ? 0 : Number(r.after),
        bound: upTo,
        newest: newest.get() as number,
        cut,
        limit: r.batchSize,
      }) as number[];
      const next = ids.length === r.batchSize ? String(ids[ids.length - 1]) : null;
      if (ids.length === 0) return { counts: { deliveries: 0, events: 0, outbox: 0 }, next };
      const list = JSON.stringify(ids);
      if (r.dryRun)
        return {
          counts: {
            deliveries: ids.length,
            events: count.events.get(list) as number,
            outbox: count.outbox.get(list) as number,
          },
          next,
        };
      const outbox = remove.outbox.run(list).changes;
      const events = remove.events.run(list).changes;
      remove.outcomes.run(list);
      const deliveries = remove.deliveries.run(list).changes;
      return { counts: { deliveries, events, outbox }, next };
    };
    const write = db.transaction(run);
    const read = db.transaction(run);
    // A dry run only reads (one snapshot); a real one takes the write lock first, so the checks and
    // the deletes see the same rows and a busy database fails before any work.
    this.batch = (r) => (r.dryRun ? read.deferred(r) : write.immediate(r));
  }

  async prune(request: PruneRequest): Promise<PruneBatch> {
    checkPruneRequest(request);
    return transientSqlite('retention', () => this.batch(request));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
