-- Fewer B-trees written per processed event (docs/benchmarks.md "Processing"). Every insert into a
-- B-tree ordered by a random key (a wamid) dirties its own 4 KB page, and each dirty page is written
-- to the WAL at commit: with four such trees per status event the WAL grew ~12 KB per event and
-- writing it was most of a batch's time.
--
-- messages: keyed by (wamid, phone_number_id) instead of (phone_number_id, wamid), so the primary
-- key also serves lookups by wamid alone and the separate messages_wamid index (a second random
-- tree per message) goes. Same columns, same uniqueness.
CREATE TABLE messages_by_wamid (
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
  biz_opaque_callback_data TEXT,
  PRIMARY KEY (wamid, phone_number_id)
) WITHOUT ROWID;
INSERT INTO messages_by_wamid (phone_number_id, wamid, direction, type, preview, media_id, media_url,
  media_sha256, media_mime_type, context_id, context_from, forwarded, frequently_forwarded, occurred_at,
  content_rank, contact_wa_id, contact_user_id, status_rank, sent_at, delivered_at, read_at, played_at,
  failed_at, pricing_category, pricing_type, pricing_model, pricing_billable, pricing_rank, conversation_id,
  conversation_origin, conversation_expires_at, conversation_rank, biz_opaque_callback_data)
SELECT phone_number_id, wamid, direction, type, preview, media_id, media_url,
  media_sha256, media_mime_type, context_id, context_from, forwarded, frequently_forwarded, occurred_at,
  content_rank, contact_wa_id, contact_user_id, status_rank, sent_at, delivered_at, read_at, played_at,
  failed_at, pricing_category, pricing_type, pricing_model, pricing_billable, pricing_rank, conversation_id,
  conversation_origin, conversation_expires_at, conversation_rank, biz_opaque_callback_data
FROM messages;
DROP TABLE messages;   -- drops messages_wamid with it
ALTER TABLE messages_by_wamid RENAME TO messages;

-- events by wamid: a status event's key is 'status:<wamid>:<status>[:<participant>]'
-- (src/core/event-key.ts), so the unique key index already finds those by wamid with a prefix
-- range. Only events whose key does not start with 'status:<their wamid>:' (messages, echoes,
-- history, standby) keep an entry here; src/adapters/sqlite/event-queries.ts queries both halves
-- (the expression below must stay textually identical there). Statuses are the bulk of the
-- traffic, so almost every event loses one random-key tree insert.
DROP INDEX events_wamid;
CREATE INDEX events_wamid_other ON events (wamid, id)
  WHERE wamid IS NOT NULL AND NOT (substr(key, 1, length(wamid) + 8) = 'status:' || wamid || ':');
