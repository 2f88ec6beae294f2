/**
 * Applies state change records with commutative, idempotent SQL (any order, applied twice, same
 * rows), one change at a time: the statements are generated from the rule table shared with
 * PostgreSQL (../state-rules.ts, ../state-rule-sql.ts) — ranks and times combined with max/min,
 * "latest" values moving only with a greater rank, errors and history keyed rows inserted once.
 */
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './open-database.js';
import type { EncodedChange } from './commit-rows.js';
import { mergeContactChanges, type MergedContactChange } from '../../core/merge-contact-changes.js';
import type { ContactChange, MessageErrorChange, StateChange } from '../../core/state-change.js';
import {
  accountColumns,
  CONTACT_COLUMNS,
  CONTACT_FIELD_OF,
  messageColumns,
  phoneColumns,
  statusValues,
  templateColumns,
  v,
} from '../state-columns.js';
import { STATE_TABLES, STATE_WRITES, type StateWriteName } from '../state-rules.js';
import { RowMerger } from '../merge-state-row.js';
import { sqliteUpsertSql } from '../state-rule-sql.js';
import {
  conversationMessageRow,
  conversationRow,
  supersedeKeys,
  supersededSql,
} from '../conversation-columns.js';

/** One statement per kind of change, generated from the one rule table (../state-rules.ts). */
const SQL = {
  contact: sqliteUpsertSql(STATE_WRITES.contact),
  message: sqliteUpsertSql(STATE_WRITES.message),
  // Bound positionally, in STATUS_COLUMNS order (statusValues): statuses are most of the traffic.
  // Positional values are passed as arguments (`run(...values)`), never as one array: better-sqlite3
  // reads an array element by element through the V8 API (Object::Get, ~425 instructions each),
  // arguments directly (docs/benchmarks.md "Processing").
  status: sqliteUpsertSql(STATE_WRITES.status, 'positional'),
  messageError: sqliteUpsertSql(STATE_WRITES.messageError),
  template: sqliteUpsertSql(STATE_WRITES.template),
  templateHistory: sqliteUpsertSql(STATE_WRITES.templateHistory),
  phoneNumber: sqliteUpsertSql(STATE_WRITES.phoneNumber),
  account: sqliteUpsertSql(STATE_WRITES.account),
  conversation: sqliteUpsertSql(STATE_WRITES.conversation),
  // Bound positionally (conversationMessageValues): one per message of every event, like statuses.
  conversationMessage: sqliteUpsertSql(STATE_WRITES.conversationMessage, 'positional'),
} as const satisfies Record<StateWriteName, string>;

type Params = Record<string, string | number | null>;

/** A conversation_messages row in the table's column order (the positional statement's). */
const CONVERSATION_MESSAGE_COLUMNS = STATE_TABLES.conversation_messages.columns.map((c) => c.name);
const conversationMessageValues = (r: Params) => CONVERSATION_MESSAGE_COLUMNS.map((c) => r[c] ?? null);

/** One contact row's upsert parameters: each field carries its own rank (merged records, see mergeContactChanges). */
function contactParams(c: MergedContactChange): Params {
  const p: Params = { id: c.id, last_inbound_at: v(c.lastInboundAt) };
  for (const col of CONTACT_COLUMNS) {
    const f = c.fields[CONTACT_FIELD_OF[col]];
    p[col] = v(f?.value);
    p[`${col}_rank`] = v(f?.rank);
  }
  p['opt_out'] = v(c.optOut?.value.value);
  p['opt_out_source'] = v(c.optOut?.value.source);
  p['opt_out_rank'] = v(c.optOut?.rank);
  return p;
}

function errorParams(e: MessageErrorChange): Params {
  return {
    event_key: e.eventKey,
    idx: e.index,
    phone_number_id: e.phoneNumberId,
    wamid: e.wamid,
    at: e.at,
    code: e.code,
    title: v(e.title),
    message: v(e.message),
    details: v(e.details),
    href: v(e.href),
  };
}

export interface StateApplier {
  /** Applies one record (inside the caller's transaction). */
  (change: StateChange): void;
  /** Applies a batch's records: contact records merged first (one upsert per contact), the rest one by one. */
  all(changes: readonly EncodedChange[]): void;
}

/** Prepares the statements once; the returned function applies records inside the caller's transaction. */
export function createStateApplier(db: SqliteDatabase): StateApplier {
  const s = Object.fromEntries(Object.entries(SQL).map(([k, sql]) => [k, db.prepare(sql)])) as Record<
    keyof typeof SQL,
    Statement
  >;
  const superseded = db.prepare(supersededSql('sqlite'));
  const one = (change: StateChange): void => {
    switch (change.kind) {
      case 'conversation':
        s.conversation.run(conversationRow(change));
        s.conversationMessage.run(...conversationMessageValues(conversationMessageRow(change)));
        return;
      case 'contact':
        for (const m of mergeContactChanges([change])) s.contact.run(contactParams(m));
        return;
      case 'message':
        s.message.run(messageColumns(change));
        return;
      case 'status':
        s.status.run(...statusValues(change));
        return;
      case 'message_error':
        s.messageError.run(errorParams(change));
        return;
      case 'template': {
        s.template.run(templateColumns(change));
        const h = change.history;
        s.templateHistory.run({
          event_key: h.eventKey,
          template_key: change.templateKey,
          event_name: h.eventName,
          at: change.at,
          value: v(h.value),
          detail: v(h.detail),
        });
        return;
      }
      case 'phone_number':
        s.phoneNumber.run(phoneColumns(change));
        return;
      case 'account':
        s.account.run(accountColumns(change));
        return;
    }
  };
  const all = (changes: readonly EncodedChange[]): void => {
    const contacts: ContactChange[] = [];
    // A batch's statuses name the same few conversations and wamids again and again: their rows
    // are merged by the rules first (as PostgreSQL does), one upsert per conversation and message.
    const conversations = new RowMerger(STATE_TABLES.conversations);
    const conversationMessages = new RowMerger(STATE_TABLES.conversation_messages);
    for (const ch of changes)
      if (Array.isArray(ch)) s.status.run(...ch);
      else if (ch.kind === 'contact') contacts.push(ch);
      else if (ch.kind === 'conversation') {
        conversations.add(conversationRow(ch));
        conversationMessages.add(conversationMessageRow(ch));
      } else one(ch);
    for (const m of mergeContactChanges(contacts)) s.contact.run(contactParams(m));
    for (const row of conversations.rows()) s.conversation.run(row);
    for (const row of conversationMessages.rows())
      s.conversationMessage.run(...conversationMessageValues(row));
    // After the contacts: which conversation rows an identity change superseded is read from them.
    const keys = supersedeKeys(changes);
    if (keys.length > 0) superseded.run(JSON.stringify(keys));
  };
  return Object.assign(one, { all });
}
