-- Normalized events, the state derived from them, and the outbox of hand-offs.
-- State is commutative (design §2): every "latest" value carries a rank column — a zero-padded
-- epoch-ms time, '|', then the event key — and is replaced only by a greater rank. Ranks are a total
-- order, so applying the same events in any order (or twice) leaves the same rows.

CREATE TABLE events (
  id                     INTEGER PRIMARY KEY,
  key                    TEXT    NOT NULL UNIQUE,   -- idempotency key (reference §1.7)
  name                   TEXT    NOT NULL,
  field                  TEXT    NOT NULL,
  occurred_at            INTEGER,                   -- epoch ms, null when the payload has no time
  waba_id                TEXT    NOT NULL,
  phone_number_id        TEXT,
  display_phone_number   TEXT,
  contact_wa_id          TEXT,
  contact_user_id        TEXT,
  contact_parent_user_id TEXT,
  contact_username       TEXT,
  contact_name           TEXT,
  wamid                  TEXT,
  data                   TEXT    NOT NULL,          -- JSON
  raw                    TEXT,                      -- JSON
  delivery_id            INTEGER,
  created_at             INTEGER NOT NULL
);
CREATE INDEX events_name ON events (name, id);
CREATE INDEX events_phone_number ON events (phone_number_id, id);
CREATE INDEX events_contact_wa ON events (contact_wa_id, id);
CREATE INDEX events_contact_user ON events (contact_user_id, id);
CREATE INDEX events_wamid ON events (wamid, id);
CREATE INDEX events_occurred_at ON events (occurred_at);

-- One row per identifier: the BSUID when the event has one, else 'wa:<digits>'. A person seen with
-- and without a BSUID has two rows; reads merge them field by field (newest rank wins).
CREATE TABLE contacts (
  id                  TEXT PRIMARY KEY,
  wa_id               TEXT, wa_id_rank          TEXT,
  user_id             TEXT, user_id_rank        TEXT,
  parent_user_id      TEXT, parent_user_id_rank TEXT,
  username            TEXT, username_rank       TEXT,
  name                TEXT, name_rank           TEXT,
  replaced_by         TEXT, replaced_by_rank    TEXT,   -- identity change: the newer phone or BSUID
  last_inbound_at     INTEGER,                          -- max over inbound messages (service window)
  opt_out             TEXT, opt_out_rank        TEXT,   -- 'stop' | 'resume' (marketing messages)
  opt_out_source      TEXT
);
CREATE INDEX contacts_wa_id ON contacts (wa_id);
CREATE INDEX contacts_user_id ON contacts (user_id);

-- Messages by (phone_number_id, wamid) (reference §7.3). Content columns move together, ranked by
-- source (inbound > echo > history) then time; status columns are maxima / minima.
CREATE TABLE messages (
  phone_number_id      TEXT NOT NULL,
  wamid                TEXT NOT NULL,
  direction            TEXT NOT NULL,
  type                 TEXT,
  preview              TEXT,
  media_id             TEXT,
  media_url            TEXT,
  media_sha256         TEXT,
  media_mime_type      TEXT,
  context_id           TEXT,
  context_from         TEXT,
  forwarded            INTEGER,
  frequently_forwarded INTEGER,
  occurred_at          INTEGER,
  content_rank         TEXT,
  contact_wa_id        TEXT,
  contact_user_id      TEXT,
  status_rank          INTEGER,                  -- sent 1 < delivered 2 < read 3 < played 4
  sent_at              INTEGER,
  delivered_at         INTEGER,
  read_at              INTEGER,
  played_at            INTEGER,
  failed_at            INTEGER,                  -- kept even when a delivered arrives later
  pricing_category     TEXT,
  pricing_type         TEXT,
  pricing_model        TEXT,
  pricing_billable     INTEGER,
  pricing_rank         TEXT,
  conversation_id      TEXT,
  conversation_origin  TEXT,
  conversation_expires_at INTEGER,
  conversation_rank    TEXT,
  biz_opaque_callback_data TEXT,
  PRIMARY KEY (phone_number_id, wamid)
) WITHOUT ROWID;
CREATE INDEX messages_wamid ON messages (wamid);

CREATE TABLE message_errors (
  event_key       TEXT    NOT NULL,
  idx             INTEGER NOT NULL,
  phone_number_id TEXT    NOT NULL,
  wamid           TEXT    NOT NULL,
  at              INTEGER,
  code            INTEGER,
  title           TEXT,
  message         TEXT,
  details         TEXT,
  href            TEXT,
  PRIMARY KEY (event_key, idx)
) WITHOUT ROWID;
CREATE INDEX message_errors_wamid ON message_errors (wamid);

-- Templates by id (or 'name:<name>:<language>' when Meta gives no id); each aspect newest by rank.
CREATE TABLE templates (
  template_key   TEXT PRIMARY KEY,
  waba_id        TEXT,
  template_id    TEXT,
  name           TEXT,
  language       TEXT,
  status         TEXT, status_reason TEXT, status_at INTEGER, status_rank TEXT,
  quality        TEXT, quality_at    INTEGER, quality_rank TEXT,
  category       TEXT, category_at   INTEGER, category_rank TEXT
);
CREATE INDEX templates_name ON templates (name, language);

CREATE TABLE template_history (
  event_key    TEXT PRIMARY KEY,
  template_key TEXT NOT NULL,
  event_name   TEXT NOT NULL,
  at           INTEGER,
  value        TEXT,
  detail       TEXT
);
CREATE INDEX template_history_template ON template_history (template_key, at);

-- Phone numbers by phone_number_id, else 'display:<digits>' (management fields carry only the display number).
CREATE TABLE phone_numbers (
  phone_key            TEXT PRIMARY KEY,
  waba_id              TEXT,
  display_phone_number TEXT,
  name_status          TEXT, requested_name TEXT, name_rejection_reason TEXT, name_rank TEXT,
  quality_event        TEXT, current_limit  TEXT, old_limit TEXT, max_daily_conversations TEXT, quality_rank TEXT
);

-- Latest account-level event per WABA and aspect (event name, plus its sub-type where it has one).
CREATE TABLE account_state (
  waba_id TEXT NOT NULL,
  aspect  TEXT NOT NULL,
  value   TEXT NOT NULL,      -- JSON (the event's data)
  at      INTEGER,
  rank    TEXT NOT NULL,
  PRIMARY KEY (waba_id, aspect)
) WITHOUT ROWID;

-- Hand-offs: one row per (new event × target that wants it), written in the processing transaction.
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events(id),
  target TEXT NOT NULL,                 -- handler id
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,     -- epoch ms
  lease_owner TEXT, lease_until INTEGER,
  last_error TEXT,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  UNIQUE (event_id, target)
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE state = 'pending';
CREATE INDEX outbox_dead ON outbox (updated_at) WHERE state = 'dead';
