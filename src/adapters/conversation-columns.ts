/**
 * Conversation change → rows of `conversations` and `conversation_messages`, shared by both
 * adapters, and the statement that recomputes which conversation rows an identity change superseded
 * (migrations/sqlite/0011_conversations.sql).
 */
import type { ContactChange, ConversationChange, StateChange } from '../core/state-change.js';
import type { Columns } from './state-columns.js';
import type { Dialect } from './state-rule-sql.js';

export function conversationRow(c: ConversationChange): Columns {
  const lastIn = c.last === 'inbound';
  const lastOut = c.last === 'outbound';
  return {
    phone_number_id: c.phoneNumberId,
    contact_key: c.contactKey,
    first_at: c.at,
    // Never NULL: the list orders by it, and the two databases sort NULLs at opposite ends.
    last_activity_at: c.at ?? 0,
    last_inbound_at: c.opensWindow === true ? c.at : null,
    last_inbound_wamid: lastIn ? c.wamid : null,
    last_inbound_rank: lastIn ? c.rank : null,
    last_outbound_wamid: lastOut ? c.wamid : null,
    last_outbound_rank: lastOut ? c.rank : null,
    media_wamid: c.media ? c.wamid : null,
    media_id: c.media?.id ?? null,
    media_type: c.media?.type ?? null,
    media_rank: c.media ? c.rank : null,
  };
}

export function conversationMessageRow(c: ConversationChange): Columns {
  return {
    phone_number_id: c.phoneNumberId,
    contact_key: c.contactKey,
    wamid: c.wamid,
    direction: c.direction,
    at: c.at,
  };
}

/** The contact keys whose conversation rows a batch may have superseded or un-superseded. */
export function supersedeKeys(changes: Iterable<StateChange | unknown>): string[] {
  const keys = new Set<string>();
  for (const ch of changes) {
    const c = ch as StateChange;
    if (Array.isArray(ch) || typeof c !== 'object' || c === null) continue;
    if (c.kind === 'conversation') keys.add(c.contactKey);
    if (c.kind === 'contact') contactKeys(c, keys);
  }
  return [...keys];
}

function contactKeys(c: ContactChange, keys: Set<string>): void {
  // Only identity facts move the superseded marks: a link between a phone and a BSUID, a replacement.
  if (c.fields.replacedBy !== undefined) keys.add(c.id);
  if (c.fields.waId !== undefined && c.fields.userId !== undefined) {
    keys.add(c.id);
    keys.add(`wa:${c.fields.waId}`);
  }
}

/**
 * Recomputes `superseded` for the conversation rows of the given keys and of their predecessors: a
 * row is superseded when the same number has a row for its successor — the id that replaced it
 * (`replaced_by`, as a BSUID or a phone), or, for a phone row, the BSUID of that phone (before or
 * after a number change). A function of the contacts table, so the same whatever order the facts
 * arrived in. One parameter: the keys (SQLite a JSON array, PostgreSQL a text array).
 */
export function supersededSql(dialect: Dialect): string {
  const keys =
    dialect === 'sqlite' ? 'SELECT value AS key FROM json_each(?)' : 'SELECT unnest($1::text[]) AS key';
  const successor = `
    SELECT r.replaced_by FROM contacts r WHERE r.id = conversations.contact_key AND r.replaced_by IS NOT NULL
    UNION ALL SELECT 'wa:' || r.replaced_by FROM contacts r
      WHERE r.id = conversations.contact_key AND r.replaced_by IS NOT NULL
    UNION ALL SELECT u.user_id FROM contacts u WHERE u.id = u.user_id
      AND substr(conversations.contact_key, 1, 3) = 'wa:' AND u.wa_id = substr(conversations.contact_key, 4)
    UNION ALL SELECT u.user_id FROM contacts u WHERE u.id = u.user_id
      AND substr(conversations.contact_key, 1, 3) = 'wa:'
      AND u.wa_id IN (SELECT r.replaced_by FROM contacts r WHERE r.id = conversations.contact_key)`;
  const superseded = `CASE WHEN EXISTS (SELECT 1 FROM conversations s
      WHERE s.phone_number_id = conversations.phone_number_id AND s.contact_key <> conversations.contact_key
        AND s.contact_key IN (${successor})) THEN 1 ELSE 0 END`;
  return `WITH k AS (${keys}),
    affected AS (
      SELECT key FROM k
      UNION SELECT c.id FROM contacts c WHERE c.replaced_by IN (
        SELECT key FROM k
        UNION SELECT substr(key, 4) FROM k WHERE substr(key, 1, 3) = 'wa:'
        UNION SELECT wa_id FROM contacts WHERE id IN (SELECT key FROM k) AND wa_id IS NOT NULL)
      UNION SELECT 'wa:' || c.wa_id FROM contacts c WHERE c.id IN (SELECT key FROM k) AND c.wa_id IS NOT NULL
    )
    UPDATE conversations SET superseded = ${superseded}
    WHERE contact_key IN (SELECT key FROM affected) AND superseded <> ${superseded}`;
}
