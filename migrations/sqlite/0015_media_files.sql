-- Inbound media kept before Meta's copy expires (design §7.3, reference §7.2): one row per media id,
-- registered by the `wharf:media` outbox target, downloaded by the media worker under a lease so
-- that several worker processes make one download per media id. The bytes live content-addressed
-- (content_sha256, hex) in WHARF_MEDIA_DIR or the S3 bucket; this row says where and how it went.
CREATE TABLE media_files (
  media_id        TEXT    PRIMARY KEY,
  phone_number_id TEXT,
  wamid           TEXT,
  mime_type       TEXT,
  sha256          TEXT,                    -- as Meta gave it (base64 or hex)
  hint_url        TEXT,                    -- the webhook's own download url, when it had one
  occurred_at     INTEGER,                 -- message time, epoch ms
  give_up_at      INTEGER NOT NULL,        -- 7 days after the message: Meta's media id is gone then
  state           TEXT    NOT NULL DEFAULT 'pending',  -- pending | stored | failed
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_owner     TEXT,
  lease_until     INTEGER,
  content_sha256  TEXT,                    -- hex of the stored bytes: the storage key
  size            INTEGER,
  content_type    TEXT,
  error           TEXT,
  stored_at       INTEGER,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX media_files_due ON media_files (next_attempt_at) WHERE state = 'pending';
