-- Commit order for the event stream (ProcessingStore.eventsAfter, GET /api/v1/stream).
--
-- Event ids come from a sequence at insert time, but several workers' transactions commit in
-- another order: an event with a lower id can become visible after a reader moved past a higher
-- one, and a tail by id would skip it. So each event records its inserting transaction
-- (xact_id, a 64-bit xid8 that never wraps), and every processing commit that stored events adds
-- one event_commits row as its very last statement, under a per-schema advisory lock held until
-- COMMIT (src/adapters/postgres/commit-batch.ts): seq is then taken in commit order, and the
-- stream reads events by (seq, id). SQLite has one writer at a time, so its ids already are in
-- commit order and it needs none of this.
ALTER TABLE events ADD COLUMN xact_id xid8 NOT NULL DEFAULT '0';
-- Rows stored before this migration keep xact_id 0: all committed, streamed first (seq 0, in id order).
ALTER TABLE events ALTER COLUMN xact_id SET DEFAULT pg_current_xact_id();
CREATE INDEX events_xact ON events (xact_id, id);

CREATE TABLE event_commits (
  seq     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  xact_id xid8 NOT NULL UNIQUE
);
INSERT INTO event_commits (seq, xact_id) OVERRIDING SYSTEM VALUE VALUES (0, '0');
