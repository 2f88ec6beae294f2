/**
 * Applies state change records with commutative, idempotent SQL (any order, applied twice, same rows): ranks and times are
 * combined with max/min, "latest" values move only with a greater rank, errors and history are
 * keyed rows inserted once. Every UPSERT reads the old row's values (SQLite evaluates all SET
 * expressions against the row before the update), so a value and its rank move together.
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
  STATUS_COLUMNS,
  statusValues,
  templateColumns,
  v,
} from '../state-columns.js';

/** `col` (and `col_rank`) take the new values when the new rank is greater. */
function lww(cols: readonly string[], rankCol: string): string {
  const wins = `excluded.${rankCol} > coalesce(${rankCol}, '')`;
  return [...cols, rankCol]
    .map((c) => `${c} = CASE WHEN ${wins} THEN excluded.${c} ELSE ${c} END`)
    .join(',\n');
}
/** Greatest non-null value (deterministic for values that should agree, e.g. template names). */
const maxOf = (c: string) =>
  `${c} = CASE WHEN ${c} IS NULL OR excluded.${c} > ${c} THEN coalesce(excluded.${c}, ${c}) ELSE ${c} END`;
/** Earliest non-null time. */
const minOf = (c: string) =>
  `${c} = CASE WHEN ${c} IS NULL OR excluded.${c} < ${c} THEN coalesce(excluded.${c}, ${c}) ELSE ${c} END`;

const CONTENT = ['direction', 'type', 'preview', 'media_id', 'media_url', 'media_sha256', 'media_mime_type'];
const CONTEXT = ['context_id', 'context_from', 'forwarded', 'frequently_forwarded', 'occurred_at'];

const SQL = {
  contact: `INSERT INTO contacts (id, ${CONTACT_COLUMNS.flatMap((f) => [f, `${f}_rank`]).join(', ')},
      last_inbound_at, opt_out, opt_out_rank, opt_out_source)
    VALUES (@id, ${CONTACT_COLUMNS.flatMap((f) => [`@${f}`, `@${f}_rank`]).join(', ')},
      @last_inbound_at, @opt_out, @opt_out_rank, @opt_out_source)
    ON CONFLICT (id) DO UPDATE SET
      ${CONTACT_COLUMNS.map((f) => lww([f], `${f}_rank`)).join(',\n')},
      last_inbound_at = max(coalesce(last_inbound_at, excluded.last_inbound_at), coalesce(excluded.last_inbound_at, last_inbound_at)),
      ${lww(['opt_out', 'opt_out_source'], 'opt_out_rank')}`,
  message: `INSERT INTO messages (phone_number_id, wamid, ${CONTENT.join(', ')}, ${CONTEXT.join(', ')},
      content_rank, contact_wa_id, contact_user_id)
    VALUES (@phone_number_id, @wamid, ${CONTENT.map((c) => '@' + c).join(', ')}, ${CONTEXT.map((c) => '@' + c).join(', ')},
      @content_rank, @contact_wa_id, @contact_user_id)
    ON CONFLICT (wamid, phone_number_id) DO UPDATE SET
      ${lww([...CONTENT, ...CONTEXT], 'content_rank')}, ${maxOf('contact_wa_id')}, ${maxOf('contact_user_id')}`,
  // Bound positionally, in STATUS_COLUMNS order (statusValues).
  status: `INSERT INTO messages (direction, ${STATUS_COLUMNS.join(', ')})
    VALUES ('outbound', ${STATUS_COLUMNS.map((c) => (c === 'status_rank' ? 'coalesce(?, 0)' : '?')).join(', ')})
    ON CONFLICT (wamid, phone_number_id) DO UPDATE SET
      status_rank = max(coalesce(status_rank, 0), coalesce(excluded.status_rank, 0)),
      ${['sent_at', 'delivered_at', 'read_at', 'played_at', 'failed_at'].map(minOf).join(', ')},
      ${lww(['pricing_category', 'pricing_type', 'pricing_model', 'pricing_billable'], 'pricing_rank')},
      ${lww(['conversation_id', 'conversation_origin', 'conversation_expires_at'], 'conversation_rank')},
      ${maxOf('biz_opaque_callback_data')}, ${maxOf('contact_wa_id')}, ${maxOf('contact_user_id')}`,
  messageError: `INSERT INTO message_errors (event_key, idx, phone_number_id, wamid, at, code, title, message, details, href)
    VALUES (@event_key, @idx, @phone_number_id, @wamid, @at, @code, @title, @message, @details, @href)
    ON CONFLICT DO NOTHING`,
  template: `INSERT INTO templates (template_key, waba_id, template_id, name, language, status, status_reason, status_at,
      status_rank, quality, quality_at, quality_rank, category, category_at, category_rank)
    VALUES (@template_key, @waba_id, @template_id, @name, @language, @status, @status_reason, @status_at,
      @status_rank, @quality, @quality_at, @quality_rank, @category, @category_at, @category_rank)
    ON CONFLICT (template_key) DO UPDATE SET
      ${['waba_id', 'template_id', 'name', 'language'].map(maxOf).join(', ')},
      ${lww(['status', 'status_reason', 'status_at'], 'status_rank')},
      ${lww(['quality', 'quality_at'], 'quality_rank')},
      ${lww(['category', 'category_at'], 'category_rank')}`,
  templateHistory: `INSERT INTO template_history (event_key, template_key, event_name, at, value, detail)
    VALUES (@event_key, @template_key, @event_name, @at, @value, @detail) ON CONFLICT DO NOTHING`,
  phoneNumber: `INSERT INTO phone_numbers (phone_key, waba_id, display_phone_number, name_status, requested_name,
      name_rejection_reason, name_rank, quality_event, current_limit, old_limit, max_daily_conversations, quality_rank)
    VALUES (@phone_key, @waba_id, @display_phone_number, @name_status, @requested_name, @name_rejection_reason,
      @name_rank, @quality_event, @current_limit, @old_limit, @max_daily_conversations, @quality_rank)
    ON CONFLICT (phone_key) DO UPDATE SET ${maxOf('waba_id')}, ${maxOf('display_phone_number')},
      ${lww(['name_status', 'requested_name', 'name_rejection_reason'], 'name_rank')},
      ${lww(['quality_event', 'current_limit', 'old_limit', 'max_daily_conversations'], 'quality_rank')}`,
  account: `INSERT INTO account_state (waba_id, aspect, value, at, rank) VALUES (@waba_id, @aspect, @value, @at, @rank)
    ON CONFLICT (waba_id, aspect) DO UPDATE SET ${lww(['value', 'at'], 'rank')}`,
} as const;

type Params = Record<string, string | number | null>;

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
  const one = (change: StateChange): void => {
    switch (change.kind) {
      case 'contact':
        for (const m of mergeContactChanges([change])) s.contact.run(contactParams(m));
        return;
      case 'message':
        s.message.run(messageColumns(change));
        return;
      case 'status':
        s.status.run(statusValues(change));
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
    for (const ch of changes)
      if (Array.isArray(ch)) s.status.run(ch);
      else if (ch.kind === 'contact') contacts.push(ch);
      else one(ch);
    for (const m of mergeContactChanges(contacts)) s.contact.run(contactParams(m));
  };
  return Object.assign(one, { all });
}
