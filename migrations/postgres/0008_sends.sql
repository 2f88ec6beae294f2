-- Messages sent through Wharf (POST /api/v1/messages, ctx.reply, wharf.send, wharf send): each row is
-- written BEFORE the request leaves for Meta (docs/sending.md), so its statuses join it by wamid and a
-- crash before Meta answered leaves a row that reads as `unknown`, never sent again by itself.
-- `idempotency_key` is unique: the second caller with the same key (any process) finds this row and
-- answers from it.
CREATE TABLE sends (
  id                TEXT COLLATE "C" PRIMARY KEY,
  idempotency_key   TEXT COLLATE "C" UNIQUE,
  request_hash      TEXT NOT NULL,
  phone_number_id   TEXT COLLATE "C" NOT NULL,
  recipient         TEXT COLLATE "C" NOT NULL,
  recipient_kind    TEXT NOT NULL,
  type              TEXT NOT NULL,
  template_name     TEXT,
  template_language TEXT,
  message           TEXT NOT NULL,
  sms_fallback_text TEXT,
  forced            INTEGER NOT NULL DEFAULT 0,
  state             TEXT NOT NULL,
  deadline_at       BIGINT NOT NULL,
  wamid             TEXT COLLATE "C",
  wa_id             TEXT,
  user_id           TEXT,
  message_status    TEXT,
  http_status       INTEGER,
  fbtrace_id        TEXT,
  outcome           TEXT,
  fallback          TEXT,
  created_at        BIGINT NOT NULL,
  answered_at       BIGINT
);
CREATE INDEX sends_wamid ON sends (wamid);
