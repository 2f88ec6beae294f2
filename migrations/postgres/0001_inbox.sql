-- The inbox: raw deliveries exactly as received, the system of record.
-- Same columns, CHECK and indexes as migrations/sqlite/0001_inbox.sql; times are epoch ms in BIGINT.
CREATE TABLE deliveries (
  id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  received_at   BIGINT  NOT NULL,            -- epoch ms
  body_hash     TEXT    NOT NULL UNIQUE,     -- lowercase hex SHA-256 of body
  body          BYTEA   NOT NULL,
  size          INTEGER NOT NULL,
  secret_index  INTEGER NOT NULL,
  request_id    TEXT    NOT NULL,
  duplicates    INTEGER NOT NULL DEFAULT 0,  -- byte-identical retries received after the first
  state         TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'processing', 'processed', 'invalid')),
  lease_owner   TEXT,
  lease_until   BIGINT,
  attempts      INTEGER NOT NULL DEFAULT 0,
  processed_at  BIGINT,
  error         TEXT
);
CREATE INDEX deliveries_unprocessed ON deliveries (id) WHERE state IN ('pending', 'processing');
CREATE INDEX deliveries_received_at ON deliveries (received_at);
