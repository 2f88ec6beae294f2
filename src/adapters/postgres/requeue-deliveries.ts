import type { PoolClient } from 'pg';
import type { ReplayMode, ReplaySummary } from '../../ports/outbox.js';

/** A subquery yielding delivery ids; `sql(n)` numbers its parameters from $n. */
export interface DeliverySelection {
  readonly sql: (first: number) => string;
  readonly params: readonly unknown[];
}

/**
 * Replay of deliveries (docs/handlers.md#replay), in one transaction, as on SQLite
 * (src/adapters/sqlite/requeue-deliveries.ts): processed or invalid deliveries go back to
 * `pending` (deliveries being processed are left to finish); in `redeliver` mode every outbox row
 * of their events goes back to `pending` with attempts 0, due now, losing any lease.
 */
export async function requeueDeliveries(
  client: PoolClient,
  selection: DeliverySelection,
  mode: ReplayMode,
  now: number,
): Promise<ReplaySummary> {
  await client.query('BEGIN');
  try {
    const { sql, params } = selection;
    const counted = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM deliveries WHERE id IN (${sql(1)})`,
      [...params],
    );
    await client.query(
      `UPDATE deliveries SET state = 'pending', lease_owner = NULL, lease_until = NULL, attempts = 0,
         processed_at = NULL, error = NULL
       WHERE id IN (${sql(1)}) AND state IN ('processed', 'invalid')`,
      [...params],
    );
    let outboxRows = 0;
    if (mode === 'redeliver')
      outboxRows =
        (
          await client.query(
            `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = $1, dead_at = NULL,
               last_delay_ms = NULL, lease_owner = NULL, lease_until = NULL, updated_at = $2
             WHERE event_id IN (SELECT id FROM events WHERE delivery_id IN (${sql(3)}))`,
            [now, now, ...params],
          )
        ).rowCount ?? 0;
    await client.query('COMMIT');
    return { deliveries: counted.rows[0]?.n ?? 0, outboxRows };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
