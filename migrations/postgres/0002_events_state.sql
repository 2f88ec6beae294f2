-- Normalized events, the state derived from them, and the outbox of hand-offs: the same tables,
-- columns and meaning as migrations/sqlite/0002_events_state.sql plus 0003_outbox_dispatch.sql.
-- Times are epoch ms in BIGINT; data/raw are JSON kept as TEXT (written and read as strings, never
-- queried inside, so JSONB's parse on write would only cost time).
--
-- Every column that state rules compare as text (ranks, "greatest value" columns) and every
-- filtered text column uses COLLATE "C": byte order, as SQLite compares, whatever the database's
-- locale is. Ranks must order identically on both adapters or the same events could give other state.

CREATE TABLE events (
  id                     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key                    TEXT COLLATE "C" NOT NULL UNIQUE,   -- idempotency key (reference §1.7)
  name                   TEXT COLLATE "C" NOT NULL,
  field                  TEXT NOT NULL,
  occurred_at            BIGINT,
  waba_id                TEXT NOT NULL,
  phone_number_id        TEXT COLLATE "C",
  display_phone_number   TEXT,
  contact_wa_id          TEXT COLLATE "C",
  contact_user_id        TEXT COLLATE "C",
  contact_parent_user_id TEXT,
  contact_username       TEXT,
  contact_name           TEXT,
  wamid                  TEXT COLLATE "C",
  data                   TEXT NOT NULL,
  raw                    TEXT,
  delivery_id            BIGINT,
  created_at             BIGINT NOT NULL
);
CREATE INDEX events_name ON events (name, id);
CREATE INDEX events_phone_number ON events (phone_number_id, id);
CREATE INDEX events_contact_wa ON events (contact_wa_id, id);
CREATE INDEX events_contact_user ON events (contact_user_id, id);
CREATE INDEX events_wamid ON events (wamid, id);
CREATE INDEX events_occurred_at ON events (occurred_at);
CREATE INDEX events_delivery ON events (delivery_id);

CREATE TABLE contacts (
  id                  TEXT COLLATE "C" PRIMARY KEY,
  wa_id               TEXT COLLATE "C", wa_id_rank          TEXT COLLATE "C",
  user_id             TEXT COLLATE "C", user_id_rank        TEXT COLLATE "C",
  parent_user_id      TEXT COLLATE "C", parent_user_id_rank TEXT COLLATE "C",
  username            TEXT COLLATE "C", username_rank       TEXT COLLATE "C",
  name                TEXT COLLATE "C", name_rank           TEXT COLLATE "C",
  replaced_by         TEXT COLLATE "C", replaced_by_rank    TEXT COLLATE "C",
  last_inbound_at     BIGINT,
  opt_out             TEXT COLLATE "C", opt_out_rank        TEXT COLLATE "C",
  opt_out_source      TEXT COLLATE "C"
);
CREATE INDEX contacts_wa_id ON contacts (wa_id);
CREATE INDEX contacts_user_id ON contacts (user_id);

CREATE TABLE messages (
  phone_number_id      TEXT COLLATE "C" NOT NULL,
  wamid                TEXT COLLATE "C" NOT NULL,
  direction            TEXT COLLATE "C" NOT NULL,
  type                 TEXT COLLATE "C",
  preview              TEXT COLLATE "C",
  media_id             TEXT COLLATE "C",
  media_url            TEXT COLLATE "C",
  media_sha256         TEXT COLLATE "C",
  media_mime_type      TEXT COLLATE "C",
  context_id           TEXT COLLATE "C",
  context_from         TEXT COLLATE "C",
  forwarded            INTEGER,
  frequently_forwarded INTEGER,
  occurred_at          BIGINT,
  content_rank         TEXT COLLATE "C",
  contact_wa_id        TEXT COLLATE "C",
  contact_user_id      TEXT COLLATE "C",
  status_rank          INTEGER,                  -- sent 1 < delivered 2 < read 3 < played 4
  sent_at              BIGINT,
  delivered_at         BIGINT,
  read_at              BIGINT,
  played_at            BIGINT,
  failed_at            BIGINT,
  pricing_category     TEXT COLLATE "C",
  pricing_type         TEXT COLLATE "C",
  pricing_model        TEXT COLLATE "C",
  pricing_billable     INTEGER,
  pricing_rank         TEXT COLLATE "C",
  conversation_id      TEXT COLLATE "C",
  conversation_origin  TEXT COLLATE "C",
  conversation_expires_at BIGINT,
  conversation_rank    TEXT COLLATE "C",
  biz_opaque_callback_data TEXT COLLATE "C",
  PRIMARY KEY (phone_number_id, wamid)
);
CREATE INDEX messages_wamid ON messages (wamid);

CREATE TABLE message_errors (
  event_key       TEXT COLLATE "C" NOT NULL,
  idx             INTEGER NOT NULL,
  phone_number_id TEXT COLLATE "C" NOT NULL,
  wamid           TEXT COLLATE "C" NOT NULL,
  at              BIGINT,
  code            INTEGER,
  title           TEXT,
  message         TEXT,
  details         TEXT,
  href            TEXT,
  PRIMARY KEY (event_key, idx)
);
CREATE INDEX message_errors_wamid ON message_errors (wamid);

CREATE TABLE templates (
  template_key   TEXT COLLATE "C" PRIMARY KEY,
  waba_id        TEXT COLLATE "C",
  template_id    TEXT COLLATE "C",
  name           TEXT COLLATE "C",
  language       TEXT COLLATE "C",
  status         TEXT COLLATE "C", status_reason TEXT COLLATE "C", status_at BIGINT, status_rank TEXT COLLATE "C",
  quality        TEXT COLLATE "C", quality_at    BIGINT, quality_rank TEXT COLLATE "C",
  category       TEXT COLLATE "C", category_at   BIGINT, category_rank TEXT COLLATE "C"
);
CREATE INDEX templates_name ON templates (name, language);

CREATE TABLE template_history (
  event_key    TEXT COLLATE "C" PRIMARY KEY,
  template_key TEXT COLLATE "C" NOT NULL,
  event_name   TEXT NOT NULL,
  at           BIGINT,
  value        TEXT,
  detail       TEXT
);
CREATE INDEX template_history_template ON template_history (template_key, at);

CREATE TABLE phone_numbers (
  phone_key            TEXT COLLATE "C" PRIMARY KEY,
  waba_id              TEXT COLLATE "C",
  display_phone_number TEXT COLLATE "C",
  name_status          TEXT COLLATE "C", requested_name TEXT COLLATE "C",
  name_rejection_reason TEXT COLLATE "C", name_rank TEXT COLLATE "C",
  quality_event        TEXT COLLATE "C", current_limit  TEXT COLLATE "C", old_limit TEXT COLLATE "C",
  max_daily_conversations TEXT COLLATE "C", quality_rank TEXT COLLATE "C"
);

CREATE TABLE account_state (
  waba_id TEXT COLLATE "C" NOT NULL,
  aspect  TEXT COLLATE "C" NOT NULL,
  value   TEXT NOT NULL,      -- JSON (the event's data)
  at      BIGINT,
  rank    TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (waba_id, aspect)
);

-- Hand-offs: one row per (new event × target that wants it), written in the processing transaction.
-- dead_at / last_delay_ms are SQLite's 0003 columns (dead-letter time; previous retry delay).
CREATE TABLE outbox (
  id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id        BIGINT NOT NULL REFERENCES events(id),
  target          TEXT COLLATE "C" NOT NULL,
  state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  lease_owner     TEXT,
  lease_until     BIGINT,
  last_error      TEXT,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL,
  dead_at         BIGINT,
  last_delay_ms   BIGINT,
  UNIQUE (event_id, target)
);
-- Claims take due rows per target; leased rows have next_attempt_at moved to the lease end.
CREATE INDEX outbox_due_target ON outbox (target, next_attempt_at) WHERE state = 'pending';
CREATE INDEX outbox_dead_id ON outbox (target, id) WHERE state = 'dead';
CREATE INDEX outbox_dead ON outbox (id) WHERE state = 'dead';
