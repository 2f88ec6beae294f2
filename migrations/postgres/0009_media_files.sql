-- Inbound media kept before Meta's copy expires (design §7.3, reference §7.2): one row per media id,
-- registered by the `wharf:media` outbox target, downloaded by the media worker under a lease
-- (claimed with FOR UPDATE SKIP LOCKED) so that several worker processes make one download per
-- media id. The bytes live content-addressed (content_sha256, hex) in WHARF_MEDIA_DIR or the S3
-- bucket; this row says where and how it went. Times are epoch ms like the other state tables.
CREATE TABLE media_files (
  media_id        TEXT    PRIMARY KEY,
  phone_number_id TEXT,
  wamid           TEXT,
  mime_type       TEXT,
  sha256          TEXT,
  hint_url        TEXT,
  occurred_at     BIGINT,
  give_up_at      BIGINT  NOT NULL,
  state           TEXT    NOT NULL DEFAULT 'pending',
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT  NOT NULL,
  lease_owner     TEXT,
  lease_until     BIGINT,
  content_sha256  TEXT,
  size            BIGINT,
  content_type    TEXT,
  error           TEXT,
  stored_at       BIGINT,
  created_at      BIGINT  NOT NULL,
  updated_at      BIGINT  NOT NULL
);
CREATE INDEX media_files_due ON media_files (next_attempt_at) WHERE state = 'pending';
