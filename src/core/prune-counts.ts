/**
 * Rows a prune removed (or, in a dry run, would remove), per table. The SQLite adapter's own
 * bookkeeping rows of a delivery (its outcome, an expired lease) and PostgreSQL's commit-order rows
 * go with their delivery or events and are not counted apart: both adapters report the same tables.
 */
export interface PruneCounts {
  readonly deliveries: number;
  readonly events: number;
  readonly outbox: number;
}

export const PRUNED_TABLES = ['deliveries', 'events', 'outbox'] as const satisfies ReadonlyArray<
  keyof PruneCounts
>;

export const NO_PRUNED_ROWS: PruneCounts = Object.freeze({ deliveries: 0, events: 0, outbox: 0 });

export function addPruneCounts(a: PruneCounts, b: PruneCounts): PruneCounts {
  return {
    deliveries: a.deliveries + b.deliveries,
    events: a.events + b.events,
    outbox: a.outbox + b.outbox,
  };
}
