-- messages in arrival order (rowid) with a unique index on (wamid, phone_number_id), instead of a
-- WITHOUT ROWID table ordered by wamid (docs/benchmarks.md "Processing"). A wamid is a random key:
-- in the clustered layout every new message and every status of an existing one dirtied a random
-- 4 KB leaf holding whole ~250-byte rows, and each dirty page is written to the WAL at commit (on
-- the processing benchmark, half of all WAL pages). Now only a new message touches a random page,
-- of an index whose ~90-byte entries pack three times as densely; its row is appended at the end,
-- and the statuses that follow within minutes update rows that sit together near that end. Same
-- columns, same uniqueness (the upserts' ON CONFLICT target), same lookups by wamid.
CREATE TABLE messages_by_arrival (
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
  status_rank          INTEGER,
  sent_at              INTEGER,
  delivered_at         INTEGER,
  read_at              INTEGER,
  played_at            INTEGER,
  failed_at            INTEGER,
  pricing_category     TEXT,
  pricing_type         TEXT,
  pricing_model        TEXT,
  pricing_billable     INTEGER,
  pricing_rank         TEXT,
  conversation_id      TEXT,
  conversation_origin  TEXT,
  conversation_expires_at INTEGER,
  conversation_rank    TEXT,
  biz_opaque_callback_data TEXT
);
INSERT INTO messages_by_arrival (phone_number_id, wamid, direction, type, preview, media_id, media_url,
  media_sha256, media_mime_type, context_id, context_from, forwarded, frequently_forwarded, occurred_at,
  content_rank, contact_wa_id, contact_user_id, status_rank, sent_at, delivered_at, read_at, played_at,
  failed_at, pricing_category, pricing_type, pricing_model, pricing_billable, pricing_rank, conversation_id,
  conversation_origin, conversation_expires_at, conversation_rank, biz_opaque_callback_data)
SELECT phone_number_id, wamid, direction, type, preview, media_id, media_url,
  media_sha256, media_mime_type, context_id, context_from, forwarded, frequently_forwarded, occurred_at,
  content_rank, contact_wa_id, contact_user_id, status_rank, sent_at, delivered_at, read_at, played_at,
  failed_at, pricing_category, pricing_type, pricing_model, pricing_billable, pricing_rank, conversation_id,
  conversation_origin, conversation_expires_at, conversation_rank, biz_opaque_callback_data
FROM messages ORDER BY coalesce(occurred_at, sent_at, delivered_at, read_at, played_at, failed_at);
DROP TABLE messages;
ALTER TABLE messages_by_arrival RENAME TO messages;
CREATE UNIQUE INDEX messages_key ON messages (wamid, phone_number_id);
