-- Processing outcomes live in their own narrow table; the processor no longer writes delivery rows
-- (docs/benchmarks.md "Processing"). Marking a batch processed used to rewrite every delivery row,
-- its ~1.4 KB body included (two deliveries per 4 KB page), and every rewritten page went to the
-- WAL: about a sixth of a batch's WAL. An outcome row is a few bytes keyed by delivery id, so a
-- batch of 2,000 deliveries appends a dozen pages. For the processor, deliveries are append-only.
--
-- A delivery's state (src/adapters/sqlite/inbox.ts):
--   outcome 'processed' or 'invalid'      → that state (processed_at and error beside it)
--   no outcome, or outcome 'pending'      → 'processing' while a lease row exists (delivery_leases,
--                                            migration 0006), else 'pending'
-- An outcome 'pending' row is a delivery to process again: its processing threw (attempts counts
-- it) or it was replayed (src/adapters/sqlite/requeue-deliveries.ts).
CREATE TABLE delivery_outcomes (
  delivery_id  INTEGER PRIMARY KEY,
  state        TEXT    NOT NULL CHECK (state IN ('pending', 'processed', 'invalid')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  processed_at INTEGER,
  error        TEXT
);
-- Retries and replays: the claim reads them beside the deliveries past the cursor below.
CREATE INDEX delivery_outcomes_pending ON delivery_outcomes (delivery_id) WHERE state = 'pending';

-- Every delivery with id <= outcomes_through has an outcome row or a lease row (delivery_leases),
-- so never-processed deliveries are found by scanning ids above it, and one leased by a worker
-- that died through its expired lease. Each processing commit moves it up past the deliveries that
-- have either; releasing a lease moves it back below that delivery. Delivery ids only grow
-- (INTEGER PRIMARY KEY, rows are never deleted), so a delivery stored later is always above it.
-- The value set here (below the first delivery without an outcome) satisfies this.
CREATE TABLE delivery_cursor (
  id               INTEGER PRIMARY KEY CHECK (id = 1),
  outcomes_through INTEGER NOT NULL
);

-- The state columns of deliveries (state, attempts, processed_at, error, and lease_owner /
-- lease_until before them) are read here one last time and neither read nor written afterwards.
INSERT INTO delivery_outcomes (delivery_id, state, attempts, processed_at, error)
  SELECT id, CASE WHEN state IN ('processed', 'invalid') THEN state ELSE 'pending' END, attempts, processed_at, error
  FROM deliveries WHERE state IN ('processed', 'invalid') OR attempts > 0 OR error IS NOT NULL;
INSERT INTO delivery_cursor (id, outcomes_through) VALUES (1, coalesce(
  (SELECT min(d.id) - 1 FROM deliveries d
    WHERE NOT EXISTS (SELECT 1 FROM delivery_outcomes o WHERE o.delivery_id = d.id)),
  (SELECT max(id) FROM deliveries),
  0));

-- The claim no longer looks for unprocessed deliveries by their state column: one B-tree fewer for
-- every stored delivery.
DROP INDEX IF EXISTS deliveries_unprocessed;
