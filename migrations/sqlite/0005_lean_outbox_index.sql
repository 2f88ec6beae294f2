-- One B-tree fewer per outbox row written by every processing batch (docs/benchmarks.md
-- "Processing"). outbox_due (next_attempt_at) duplicated outbox_due_target (target,
-- next_attempt_at) under the same condition: every reader names its targets (claims per target,
-- nextDueAt takes the minimum per target, src/adapters/sqlite/outbox.ts), so the per-target index
-- serves them all.
DROP INDEX outbox_due;
