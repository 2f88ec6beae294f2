-- Conversations: one row per (phone_number_id, contact key), the contact key being the
-- BSUID when the event had one, else 'wa:<digits>' (the same ids as contacts). Kept by the processor
-- with the commutative rules of src/adapters/state-rules.ts: times are max / min, "last" messages
-- move only with a greater rank, so any arrival order gives the same row. Texts, types and statuses
-- are not copied here: they are read from `messages` by wamid, where they are already kept.
CREATE TABLE conversations (
  phone_number_id     TEXT NOT NULL,
  contact_key         TEXT NOT NULL,
  first_at            INTEGER,
  last_activity_at    INTEGER,
  last_inbound_at     INTEGER,                 -- the 24 h window is open until this + 24 h
  last_inbound_wamid  TEXT, last_inbound_rank  TEXT,
  last_outbound_wamid TEXT, last_outbound_rank TEXT,
  media_wamid         TEXT, media_id TEXT, media_type TEXT, media_rank TEXT,
  -- 1 when the contact's identity moved on (number or BSUID change, a phone row whose BSUID has a
  -- row of its own): the list shows the newer row, which reads merge this one into. Recomputed by
  -- the processor for the keys each batch touches (a function of the contacts table, so commutative).
  superseded          INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (phone_number_id, contact_key)
);
CREATE INDEX conversations_activity ON conversations (superseded, last_activity_at DESC, phone_number_id, contact_key);
CREATE INDEX conversations_contact ON conversations (contact_key);
-- The list's total: a count over this narrow index reads a third of the pages the one above would.
CREATE INDEX conversations_current ON conversations (superseded, phone_number_id);

-- Every message of a conversation, both directions, by time: the last 20 and the counts are one
-- index range each, instead of a JSON list rewritten on every event. `at` is the earliest time seen
-- (an outbound message known only by statuses gets its sent time).
CREATE TABLE conversation_messages (
  phone_number_id TEXT NOT NULL,
  contact_key     TEXT NOT NULL,
  wamid           TEXT NOT NULL,
  direction       TEXT,
  at              INTEGER,
  PRIMARY KEY (phone_number_id, contact_key, wamid)
) WITHOUT ROWID;
CREATE INDEX conversation_messages_recent ON conversation_messages (phone_number_id, contact_key, at DESC);

-- What people attach (PATCH /api/v1/conversations/{id}); events never touch these rows.
CREATE TABLE conversation_annotations (
  phone_number_id  TEXT NOT NULL,
  contact_key      TEXT NOT NULL,
  note             TEXT,
  automation_notes TEXT,
  labels           TEXT NOT NULL DEFAULT '[]',   -- JSON array of strings
  updated_at       INTEGER NOT NULL,
  PRIMARY KEY (phone_number_id, contact_key)
);
CREATE TABLE conversation_labels (
  label           TEXT NOT NULL,
  phone_number_id TEXT NOT NULL,
  contact_key     TEXT NOT NULL,
  PRIMARY KEY (label, phone_number_id, contact_key)
) WITHOUT ROWID;

-- Identity changes point old ids at new ones; the processor looks up an id's predecessors by it.
CREATE INDEX contacts_replaced_by ON contacts (replaced_by) WHERE replaced_by IS NOT NULL;
