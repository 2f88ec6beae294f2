-- The inbox no longer keeps a UNIQUE index on body_hash (docs/benchmarks.md "Ingest"). Every
-- insert into that index landed on a random B-tree page, which the WAL wrote out whole (4 KB for a
-- ~75-byte entry) and the checkpoint copied again: measured, the index cost as much as the row
-- itself and grew with the table. Byte-identical redeliveries are now found by the writer's
-- in-memory table of recent hashes (src/core/recent-hashes.ts), filled at start from the index
-- below and kept in step with other writers inside each write transaction.
--
-- SQLite cannot drop a column constraint, so the table is rebuilt with the same columns.
CREATE TABLE deliveries_new (
  id            INTEGER PRIMARY KEY,
  received_at   INTEGER NOT NULL,            -- epoch ms
  body_hash     TEXT    NOT NULL,            -- lowercase hex SHA-256 of body
  body          BLOB    NOT NULL,
  size          INTEGER NOT NULL,
  secret_index  INTEGER NOT NULL,
  request_id    TEXT    NOT NULL,
  duplicates    INTEGER NOT NULL DEFAULT 0,  -- byte-identical retries received after the first
  state         TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'processing', 'processed', 'invalid')),
  lease_owner   TEXT,
  lease_until   INTEGER,
  attempts      INTEGER NOT NULL DEFAULT 0,
  processed_at  INTEGER,
  error         TEXT
);
INSERT INTO deliveries_new SELECT id, received_at, body_hash, body, size, secret_index, request_id, duplicates,
  state, lease_owner, lease_until, attempts, processed_at, error FROM deliveries ORDER BY id;
DROP TABLE deliveries;
ALTER TABLE deliveries_new RENAME TO deliveries;
CREATE INDEX deliveries_unprocessed ON deliveries (id) WHERE state IN ('pending', 'processing');
-- Time order (received_at grows with id), so an append touches the last page only; covering the
-- hash lets the writer load the recent hashes at start without reading any body.
CREATE INDEX deliveries_received_at ON deliveries (received_at, body_hash);
