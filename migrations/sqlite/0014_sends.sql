-- Messages sent through Wharf (POST /api/v1/messages, ctx.reply, wharf.send, wharf send): each row is
-- written BEFORE the request leaves for Meta (docs/sending.md), so its statuses join it by wamid and a
-- crash before Meta answered leaves a row that reads as `unknown`, never sent again by itself.
-- `idempotency_key` is unique: the second caller with the same key finds this row and answers from it.
CREATE TABLE sends (
  id                TEXT PRIMARY KEY,
  idempotency_key   TEXT UNIQUE,
  request_hash      TEXT NOT NULL,
  phone_number_id   TEXT NOT NULL,
  recipient         TEXT NOT NULL,              -- `to` as given, or the BSUID of `recipient`
  recipient_kind    TEXT NOT NULL,              -- 'phone' | 'bsuid'
  type              TEXT NOT NULL,
  template_name     TEXT,
  template_language TEXT,
  message           TEXT NOT NULL,              -- JSON: the message object sent to Meta
  sms_fallback_text TEXT,
  forced            INTEGER NOT NULL DEFAULT 0, -- guards skipped with ?force=true
  state             TEXT NOT NULL,              -- sending | accepted | failed | unknown
  deadline_at       INTEGER NOT NULL,           -- a row still `sending` after this reads as `unknown`
  wamid             TEXT,
  wa_id             TEXT,
  user_id           TEXT,
  message_status    TEXT,
  http_status       INTEGER,
  fbtrace_id        TEXT,
  outcome           TEXT,                       -- JSON: Meta's error or what happened instead of an answer
  fallback          TEXT,                       -- JSON {channel, to, state, provider_id, at, reason} (SMS fallback)
  created_at        INTEGER NOT NULL,
  answered_at       INTEGER
);
CREATE INDEX sends_wamid ON sends (wamid);
