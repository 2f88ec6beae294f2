-- Destinations (design §7.2): as SQLite's 0011 (same columns, times as epoch-ms BIGINT).
CREATE TABLE destinations (
  id                    TEXT COLLATE "C" PRIMARY KEY,
  name                  TEXT NOT NULL UNIQUE,
  kind                  TEXT NOT NULL,
  enabled               BOOLEAN NOT NULL DEFAULT true,
  filter                TEXT NOT NULL DEFAULT '{}',
  format                TEXT NOT NULL DEFAULT 'event',
  settings              TEXT NOT NULL DEFAULT '{}',
  timeout_ms            INTEGER NOT NULL,
  max_in_flight         INTEGER NOT NULL,
  rate_limit_per_second DOUBLE PRECISION,
  ordering              TEXT NOT NULL DEFAULT 'none' CHECK (ordering IN ('none', 'contact')),
  transform             TEXT,
  secret_current        TEXT NOT NULL,
  secret_previous       TEXT,
  secret_previous_until BIGINT,
  failing_since         BIGINT,
  failing_notified_at   BIGINT,
  disabled_reason       TEXT,
  created_at            BIGINT NOT NULL,
  updated_at            BIGINT NOT NULL
);

CREATE TABLE destination_attempts (
  id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  destination_id   TEXT COLLATE "C" NOT NULL,
  outbox_id        BIGINT,
  event_id         BIGINT,
  event_name       TEXT NOT NULL,
  attempt          INTEGER NOT NULL,
  ok               BOOLEAN NOT NULL,
  status           INTEGER,
  duration_ms      INTEGER NOT NULL,
  error            TEXT,
  response_excerpt TEXT,
  at               BIGINT NOT NULL
);
CREATE INDEX destination_attempts_by_destination ON destination_attempts (destination_id, id);

ALTER TABLE outbox ADD COLUMN contact_key TEXT;
ALTER TABLE outbox ADD COLUMN order_at BIGINT;
CREATE INDEX outbox_contact_order ON outbox (target, contact_key, order_at, id)
  WHERE state = 'pending' AND contact_key IS NOT NULL;

-- An AFTER trigger: it runs once the inserting statement is complete, so it also sees events
-- inserted by an earlier CTE of that statement (the processing commit inserts both in one).
CREATE FUNCTION outbox_destination_contact() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE outbox o SET contact_key = coalesce(e.contact_wa_id, e.contact_user_id),
    order_at = coalesce(e.occurred_at, 0)
  FROM events e WHERE o.id = NEW.id AND e.id = NEW.event_id;
  RETURN NULL;
END $$;
CREATE TRIGGER outbox_destination_contact AFTER INSERT ON outbox
  FOR EACH ROW WHEN (NEW.target LIKE 'destination:%') EXECUTE FUNCTION outbox_destination_contact();
