-- The events' filter indexes without the id they repeated, and without the rows they never find
-- (docs/benchmarks.md "Processing"). Every entry of an index on a rowid table already ends with the
-- rowid, and `id` is that rowid: an index on (name, id) stored it twice, and SQLite orders, pages
-- (`id < ?`) and resumes (`id > ?`) by the rowid of an index on (name) alone, with the same plans
-- (test/integration/sqlite-event-filter-plans.test.ts). A filter compares the column with `=`,
-- `>=` or IN, which a NULL never matches, so events without the column (templates and account
-- events have no phone number or contact, most events no BSUID) need no entry at all.
DROP INDEX events_name;
CREATE INDEX events_name ON events (name);
DROP INDEX events_phone_number;
CREATE INDEX events_phone_number ON events (phone_number_id) WHERE phone_number_id IS NOT NULL;
DROP INDEX events_contact_wa;
CREATE INDEX events_contact_wa ON events (contact_wa_id) WHERE contact_wa_id IS NOT NULL;
DROP INDEX events_contact_user;
CREATE INDEX events_contact_user ON events (contact_user_id) WHERE contact_user_id IS NOT NULL;
DROP INDEX events_occurred_at;
CREATE INDEX events_occurred_at ON events (occurred_at) WHERE occurred_at IS NOT NULL;
DROP INDEX events_delivery;
CREATE INDEX events_delivery ON events (delivery_id) WHERE delivery_id IS NOT NULL;
-- Its WHERE term stays textually identical to the one in src/adapters/sqlite/event-queries.ts.
DROP INDEX events_wamid_other;
CREATE INDEX events_wamid_other ON events (wamid)
  WHERE wamid IS NOT NULL AND NOT (substr(key, 1, length(wamid) + 8) = 'status:' || wamid || ':');

-- One B-tree fewer per message of every processed event (docs/benchmarks.md "Processing"):
-- conversation_messages_recent ordered a conversation's messages by time for the last 20 of
-- GET /conversations/{id}. That read already reads every row of the conversation for its counts,
-- and a person with two contact keys sorted them anyway; the last 20 are now the top of a sort of
-- the conversation's primary-key range, joined to their messages after the LIMIT
-- (src/adapters/conversation-reads.ts), measured no slower at 4,000 – 8,000 messages.
DROP INDEX conversation_messages_recent;
