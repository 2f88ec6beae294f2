import { openDatabase } from '../src/adapters/sqlite/open-database.js';
import { migrate } from '../src/adapters/sqlite/migrate.js';
import { createLoadBodies } from '../src/simulator/load-bodies.js';
import { serializeLikeMeta } from '../src/simulator/escape-json.js';
import { SCENARIOS } from '../src/simulator/scenarios/index.js';
import type { Delivery } from '../src/simulator/scenarios/types.js';
import { insertDelivery } from '../test/helpers/processing-harness.js';

/**
 * A fresh SQLite inbox at `path` holding `count` deliveries as Meta would send them: the load mode's
 * status batches (three statuses each), or with `workload` 'mix' every simulator scenario in turn but
 * the 3 MB history one. Returns the database, still open, for what the caller does next.
 */
export function fillInbox(path: string, count: number, workload?: string): ReturnType<typeof openDatabase> {
  const statusBatches = createLoadBodies({ seed: 1, now: 1767225600 });
  const mixes = SCENARIOS.filter((s) => s.name !== 'history-near-3mb').map((s) =>
    createLoadBodies({ seed: 2, now: 1767225600, scenario: s }),
  );
  const next =
    workload === 'mix'
      ? (i: number) => (mixes[i % mixes.length] as (i: number) => Delivery)(i)
      : statusBatches;
  const db = openDatabase(path);
  migrate(db, 0);
  db.transaction(() => {
    for (let i = 0; i < count; i++) insertDelivery(db, serializeLikeMeta(next(i)), 0);
  })();
  return db;
}
