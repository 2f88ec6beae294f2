-- Dispatcher bookkeeping on the outbox of 0002 (docs/handlers.md).
-- dead_at: when the row became a dead letter (listed by GET /api/v1/dead-letters).
-- last_delay_ms: the previous retry delay, from which decorrelated jitter grows.
ALTER TABLE outbox ADD COLUMN dead_at INTEGER;
ALTER TABLE outbox ADD COLUMN last_delay_ms INTEGER;
-- Claims take due rows per target (a fair share each); leased rows have next_attempt_at moved
-- to the lease end, so the range scan skips them.
CREATE INDEX outbox_due_target ON outbox (target, next_attempt_at) WHERE state = 'pending';
-- Dead letters newest first (cursor on id), with or without a target filter.
CREATE INDEX outbox_dead_id ON outbox (target, id) WHERE state = 'dead';
-- Replay of a delivery or a time range finds the events those deliveries produced.
CREATE INDEX events_delivery ON events (delivery_id);
