-- WhatsApp-aware actions (docs/actions.md).
-- sms_fallbacks: at most one SMS per wamid, ever. A row is claimed (state `sending`) before the SMS
-- provider is called, so duplicate deliveries, replays, several workers and restarts find it and never
-- send a second SMS; a definite provider refusal that is worth retrying sets `retry` (claimable again);
-- a claim left `sending` by a crash becomes `unknown` and is never re-sent by itself.
CREATE TABLE sms_fallbacks (
  wamid          TEXT COLLATE "C" PRIMARY KEY,
  destination_id TEXT NOT NULL,
  event_key      TEXT,
  recipient      TEXT,
  state          TEXT NOT NULL,
  provider_id    TEXT,
  reason         TEXT,
  attempts       INTEGER NOT NULL DEFAULT 0,
  claimed_at     BIGINT,
  at             BIGINT NOT NULL
);
-- Alerts (slack, email): the same alert key is sent at most once per dedupe_minutes per destination.
-- `event_key` is the event that sent it: a retry of that same event is not a duplicate.
CREATE TABLE alert_sends (
  destination_id TEXT NOT NULL,
  alert_key      TEXT NOT NULL,
  event_key      TEXT NOT NULL,
  sent_at        BIGINT NOT NULL,
  PRIMARY KEY (destination_id, alert_key)
);
