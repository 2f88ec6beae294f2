import type { ReplayMode, ReplaySummary } from '../../ports/outbox.js';
import type { SqliteDatabase } from './open-database.js';

/** A subquery yielding delivery ids, and its parameters. */
export interface DeliverySelection {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/**
 * Replay of deliveries (docs/handlers.md#replay), in one transaction:
 *  1. processed or invalid deliveries go back to `pending` (their outcome row, migration 0008), so
 *     the processor derives them again.
 *     That is idempotent: events whose key is stored already insert nothing and enqueue nothing.
 *     Deliveries being processed right now are left to finish; pending ones are already queued.
 *  2. in `redeliver` mode, every outbox row of the events those deliveries produced goes back to
 *     `pending` with attempts 0, due now — delivered, dead and in-flight alike. An in-flight attempt
 *     loses its lease, so its late outcome is ignored and the row is tried once more.
 */
export function requeueDeliveries(
  db: SqliteDatabase,
  selection: DeliverySelection,
  mode: ReplayMode,
  now: number,
): ReplaySummary {
  return db
    .transaction((): ReplaySummary => {
      const deliveries = db
        .prepare(`SELECT count(*) FROM deliveries WHERE id IN (${selection.sql})`)
        .pluck()
        .get(...selection.params) as number;
      // Outcomes live in delivery_outcomes (migration 0008): an outcome 'pending' is claimed again.
      db.prepare(
        `UPDATE delivery_outcomes SET state = 'pending', attempts = 0, processed_at = NULL, error = NULL
         WHERE delivery_id IN (${selection.sql}) AND state IN ('processed', 'invalid')`,
      ).run(...selection.params);
      if (mode === 'rederive') return { deliveries, outboxRows: 0 };
      const outboxRows = db
        .prepare(
          `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?, dead_at = NULL,
             last_delay_ms = NULL, lease_owner = NULL, lease_until = NULL, updated_at = ?
           WHERE event_id IN (SELECT id FROM events WHERE delivery_id IN (${selection.sql}))`,
        )
        .run(now, now, ...selection.params).changes;
      return { deliveries, outboxRows };
    })
    .immediate();
}
