-- Conversations: the same tables, columns and meaning as
-- migrations/sqlite/0011_conversations.sql. Compared text columns use COLLATE "C" (byte order, as
-- SQLite compares) so ranks order identically on both adapters.
CREATE TABLE conversations (
  phone_number_id     TEXT COLLATE "C" NOT NULL,
  contact_key         TEXT COLLATE "C" NOT NULL,
  first_at            BIGINT,
  last_activity_at    BIGINT,
  last_inbound_at     BIGINT,
  last_inbound_wamid  TEXT COLLATE "C", last_inbound_rank  TEXT COLLATE "C",
  last_outbound_wamid TEXT COLLATE "C", last_outbound_rank TEXT COLLATE "C",
  media_wamid         TEXT COLLATE "C", media_id TEXT COLLATE "C", media_type TEXT COLLATE "C",
  media_rank          TEXT COLLATE "C",
  superseded          INT NOT NULL DEFAULT 0,
  PRIMARY KEY (phone_number_id, contact_key)
);
CREATE INDEX conversations_activity ON conversations (superseded, last_activity_at DESC, phone_number_id, contact_key);
CREATE INDEX conversations_contact ON conversations (contact_key);
CREATE INDEX conversations_current ON conversations (superseded, phone_number_id);

CREATE TABLE conversation_messages (
  phone_number_id TEXT COLLATE "C" NOT NULL,
  contact_key     TEXT COLLATE "C" NOT NULL,
  wamid           TEXT COLLATE "C" NOT NULL,
  direction       TEXT COLLATE "C",
  at              BIGINT,
  PRIMARY KEY (phone_number_id, contact_key, wamid)
);
CREATE INDEX conversation_messages_recent ON conversation_messages (phone_number_id, contact_key, at DESC);

CREATE TABLE conversation_annotations (
  phone_number_id  TEXT COLLATE "C" NOT NULL,
  contact_key      TEXT COLLATE "C" NOT NULL,
  note             TEXT,
  automation_notes TEXT,
  labels           TEXT NOT NULL DEFAULT '[]',
  updated_at       BIGINT NOT NULL,
  PRIMARY KEY (phone_number_id, contact_key)
);
CREATE TABLE conversation_labels (
  label           TEXT COLLATE "C" NOT NULL,
  phone_number_id TEXT COLLATE "C" NOT NULL,
  contact_key     TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (label, phone_number_id, contact_key)
);

CREATE INDEX contacts_replaced_by ON contacts (replaced_by) WHERE replaced_by IS NOT NULL;
