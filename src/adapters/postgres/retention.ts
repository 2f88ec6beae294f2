/**
 * PostgreSQL retention (src/ports/retention.ts), as on SQLite (src/adapters/sqlite/retention.ts):
 * one batch per transaction. State and lease columns live on the delivery row here, so a settled
 * delivery is one whose state is 'processed' or 'invalid' (a claim or a replay changes it).
 *
 * The candidates are locked (`FOR UPDATE … SKIP LOCKED`): a replay that re-queues one of them waits
 * for the batch and then finds it gone, and a row someone else holds is left for the next run.
 * event_commits (migration 0003) rows whose events are all gone go too, except the last one, which
 * the stream's lastId reads; a stream cursor on a pruned event resumes after the nearest event below it.
 */
import type { PoolClient } from 'pg';
import type { PruneBatch, PruneRequest, Retention } from '../../ports/retention.js';
import type { PruneCounts } from '../../core/prune-counts.js';
import { checkPruneRequest } from '../../core/check-prune-request.js';
import type { PostgresDatabase } from './open-database.js';
import { classify } from './storage-error.js';

/**
 * Oldest id first after $1, within the primary-key range up to the delivery received last before
 * the cut-off (found on deliveries_received_at): ids grow in arrival order, so recent rows are not read.
 */
const CANDIDATES = `SELECT d.id FROM deliveries d
  WHERE d.id > $1
    AND d.id <= (SELECT id FROM deliveries WHERE received_at < $2 ORDER BY received_at DESC LIMIT 1)
    AND d.id < (SELECT max(id) FROM deliveries)
    AND d.received_at < $2 AND d.state IN ('processed', 'invalid')
    AND NOT EXISTS (SELECT 1 FROM events e JOIN outbox x ON x.event_id = e.id
                    WHERE e.delivery_id = d.id AND x.state <> 'delivered')
  ORDER BY d.id LIMIT $3`;

const EVENTS_OF = 'SELECT id FROM events WHERE delivery_id = ANY($1::bigint[])';

const COUNT = `SELECT (SELECT count(*) FROM events WHERE delivery_id = ANY($1::bigint[]))::int AS events,
  (SELECT count(*) FROM outbox WHERE event_id IN (${EVENTS_OF}))::int AS outbox`;

// Data-modifying statements in one WITH share a snapshot and cannot see each other's deletes, so
// the commit rows are looked at in a statement of their own, after the events are gone.
const DELETE_EVENTS = `WITH gone AS (DELETE FROM events WHERE delivery_id = ANY($1::bigint[]) RETURNING xact_id)
  SELECT count(*)::int AS n, coalesce(array_agg(DISTINCT xact_id::text), '{}') AS xacts FROM gone`;
const DELETE_COMMITS = `DELETE FROM event_commits c WHERE c.xact_id = ANY($1::text[]::xid8[])
  AND c.seq < (SELECT max(seq) FROM event_commits)
  AND NOT EXISTS (SELECT 1 FROM events e WHERE e.xact_id = c.xact_id)`;

export class PostgresRetention implements Retention {
  /** The pool belongs to the caller (open-storage.ts). */
  constructor(private readonly db: PostgresDatabase) {}

  async prune(request: PruneRequest): Promise<PruneBatch> {
    checkPruneRequest(request);
    const client = await this.db.pool.connect().catch((err: unknown) => {
      throw classify('retention connect failed', err);
    });
    try {
      await client.query(request.dryRun ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
      const batch = await pruneIn(client, request);
      await client.query('COMMIT');
      return batch;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw classify('retention prune failed', err);
    } finally {
      client.release();
    }
  }

  /** Nothing of its own to release: the pool is ended by whoever opened it. */
  async close(): Promise<void> {}
}

async function pruneIn(client: PoolClient, r: PruneRequest): Promise<PruneBatch> {
  const cut = Math.min(r.olderThan, r.protectAfter);
  const found = await client.query<{ id: number }>(
    `${CANDIDATES}${r.dryRun ? '' : ' FOR UPDATE OF d SKIP LOCKED'}`,
    [r.after === undefined ? 0 : Number(r.after), cut, r.batchSize],
  );
  const ids = found.rows.map((row) => row.id);
  const next = ids.length === r.batchSize ? String(ids[ids.length - 1]) : null;
  if (ids.length === 0) return { counts: { deliveries: 0, events: 0, outbox: 0 }, next };
  if (r.dryRun) {
    const c = await client.query<{ events: number; outbox: number }>(COUNT, [ids]);
    const row = c.rows[0] ?? { events: 0, outbox: 0 };
    return { counts: { deliveries: ids.length, events: row.events, outbox: row.outbox }, next };
  }
  return { counts: await remove(client, ids), next };
}

/** Children first: outbox rows reference events. */
async function remove(client: PoolClient, ids: readonly number[]): Promise<PruneCounts> {
  const outbox = (await client.query(`DELETE FROM outbox WHERE event_id IN (${EVENTS_OF})`, [ids])).rowCount;
  const events = (await client.query<{ n: number; xacts: string[] }>(DELETE_EVENTS, [ids])).rows[0];
  if (events && events.xacts.length > 0) await client.query(DELETE_COMMITS, [events.xacts]);
  const deliveries = (await client.query('DELETE FROM deliveries WHERE id = ANY($1::bigint[])', [ids]))
    .rowCount;
  return { deliveries: deliveries ?? 0, events: events?.n ?? 0, outbox: outbox ?? 0 };
}
