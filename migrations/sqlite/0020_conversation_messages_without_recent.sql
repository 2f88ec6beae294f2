-- One B-tree fewer per message of every processed event (docs/benchmarks.md "Processing"):
-- conversation_messages_recent ordered a conversation's messages by time for the last 20 of
-- GET /conversations/{id}. That read already reads every row of the conversation for its counts,
-- and a person with two contact keys sorted them anyway; the last 20 are now the top of a sort of
-- the conversation's primary-key range, joined to their messages after the LIMIT
-- (src/adapters/conversation-reads.ts), measured no slower at 4,000 – 8,000 messages.
DROP INDEX conversation_messages_recent;
