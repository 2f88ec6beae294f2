-- Destinations (design §7.2): targets stored in the database and managed at run time, delivered
-- through the same outbox as handlers (target id `destination:<id>`).
CREATE TABLE destinations (
  id                    TEXT PRIMARY KEY,
  name                  TEXT NOT NULL UNIQUE,
  kind                  TEXT NOT NULL,
  enabled               INTEGER NOT NULL DEFAULT 1,
  filter                TEXT NOT NULL DEFAULT '{}',   -- JSON
  format                TEXT NOT NULL DEFAULT 'event',
  settings              TEXT NOT NULL DEFAULT '{}',   -- JSON, kind settings as given
  timeout_ms            INTEGER NOT NULL,
  max_in_flight         INTEGER NOT NULL,
  rate_limit_per_second REAL,
  ordering              TEXT NOT NULL DEFAULT 'none' CHECK (ordering IN ('none', 'contact')),
  transform             TEXT,
  secret_current        TEXT NOT NULL,
  secret_previous       TEXT,
  secret_previous_until INTEGER,                      -- epoch ms: previous secret signs until then
  failing_since         INTEGER,                      -- first failure since the last success
  failing_notified_at   INTEGER,                      -- wharf.destination.failing emitted for this run
  disabled_reason       TEXT,
  created_at            INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL
);

-- Every attempt of every (event, destination) hand-off, newest first by id.
CREATE TABLE destination_attempts (
  id               INTEGER PRIMARY KEY,
  destination_id   TEXT NOT NULL,
  outbox_id        INTEGER,
  event_id         INTEGER,
  event_name       TEXT NOT NULL,
  attempt          INTEGER NOT NULL,
  ok               INTEGER NOT NULL,
  status           INTEGER,
  duration_ms      INTEGER NOT NULL,
  error            TEXT,
  response_excerpt TEXT,
  at               INTEGER NOT NULL
);
CREATE INDEX destination_attempts_by_destination ON destination_attempts (destination_id, id);

-- ordering: contact. A destination row knows its contact and its occurrence time, so a claim can
-- take only the head of each contact's queue (the earliest pending row) with one index probe.
ALTER TABLE outbox ADD COLUMN contact_key TEXT;
ALTER TABLE outbox ADD COLUMN order_at INTEGER;
CREATE INDEX outbox_contact_order ON outbox (target, contact_key, order_at, id)
  WHERE state = 'pending' AND contact_key IS NOT NULL;

-- Filled by a trigger, not by the processing commit: handler rows (the hot path) stay as they were,
-- and only destination rows pay the extra lookup of their event.
CREATE TRIGGER outbox_destination_contact AFTER INSERT ON outbox
WHEN NEW.target LIKE 'destination:%'
BEGIN
  UPDATE outbox SET
    contact_key = (SELECT coalesce(contact_wa_id, contact_user_id) FROM events WHERE id = NEW.event_id),
    order_at = (SELECT coalesce(occurred_at, 0) FROM events WHERE id = NEW.event_id)
  WHERE id = NEW.id;
END;
