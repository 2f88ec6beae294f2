/**
 * Rows of the `sends` table (migrations/sqlite/0014_sends.sql, migrations/postgres/0008_sends.sql) ↔ SendRecord, and the guard queries, the
 * same SQL text for SQLite (`?`) and PostgreSQL (`$n`, via `numbered`).
 */
import type { NewSend, SendFallback, SendOutcome, SendRecord } from '../ports/send-store.js';

export interface SendRow {
  id: string;
  idempotency_key: string | null;
  request_hash: string;
  phone_number_id: string;
  recipient: string;
  recipient_kind: string;
  type: string;
  template_name: string | null;
  template_language: string | null;
  message: string;
  sms_fallback_text: string | null;
  forced: number;
  state: string;
  deadline_at: number | string;
  wamid: string | null;
  wa_id: string | null;
  user_id: string | null;
  message_status: string | null;
  http_status: number | null;
  fbtrace_id: string | null;
  outcome: string | null;
  fallback: string | null;
  created_at: number | string;
  answered_at: number | string | null;
}

export const NEW_SEND_COLUMNS = [
  'id',
  'idempotency_key',
  'request_hash',
  'phone_number_id',
  'recipient',
  'recipient_kind',
  'type',
  'template_name',
  'template_language',
  'message',
  'sms_fallback_text',
  'forced',
  'state',
  'deadline_at',
  'created_at',
] as const;

export function newSendValues(s: NewSend): unknown[] {
  return [
    s.id,
    s.idempotencyKey,
    s.requestHash,
    s.phoneNumberId,
    s.recipient,
    s.recipientKind,
    s.type,
    s.templateName,
    s.templateLanguage,
    s.message,
    s.smsFallbackText,
    s.forced ? 1 : 0,
    'sending',
    s.deadlineAt,
    s.createdAt,
  ];
}

/** Only a row still `sending` takes an outcome: the first answer written is the one kept. */
export const FINISH_SQL = `UPDATE sends SET state = ?, wamid = ?, wa_id = ?, user_id = ?, message_status = ?,
  http_status = ?, fbtrace_id = ?, outcome = ?, answered_at = ? WHERE id = ? AND state = 'sending'`;

export function finishValues(id: string, o: SendOutcome): unknown[] {
  return [
    o.state,
    o.wamid,
    o.waId,
    o.userId,
    o.messageStatus,
    o.httpStatus,
    o.fbtraceId,
    o.outcome === null ? null : JSON.stringify(o.outcome),
    o.answeredAt,
    id,
  ];
}

export const FALLBACK_SQL = 'UPDATE sends SET fallback = ? WHERE id = ?';

export function fallbackJson(f: SendFallback): string {
  return JSON.stringify({
    channel: f.channel,
    to: f.to,
    state: f.state,
    provider_id: f.providerId,
    at: f.at,
    reason: f.reason,
  });
}

/**
 * The contact's newest inbound message to the number, under any of its conversation keys: the BSUID
 * row, the `wa:<digits>` row, and the rows of the same person under their other identifier.
 * Parameters: phone_number_id, 'wa:'+waId, userId, waId, userId.
 */
export const LAST_INBOUND_SQL = `SELECT MAX(last_inbound_at) AS last_inbound_at FROM conversations
  WHERE phone_number_id = ? AND (contact_key = ? OR contact_key = ?
    OR contact_key IN (SELECT id FROM contacts WHERE wa_id = ?)
    OR contact_key IN (SELECT 'wa:' || wa_id FROM contacts WHERE user_id = ? AND wa_id IS NOT NULL))`;

/** Meta spells languages `en_US` and `en-US`: both match. Newest status first. Parameters: name, language. */
export const TEMPLATE_SQL = `SELECT status, status_reason, category FROM templates
  WHERE name = ? AND (? IS NULL OR REPLACE(language, '-', '_') = ?)
  ORDER BY status_at DESC LIMIT 1`;

/** `?` placeholders → `$1, $2 …` (PostgreSQL). */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

function parseObject(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function toFallback(text: string | null): SendFallback | null {
  const f = parseObject(text);
  if (f === null) return null;
  const s = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    channel: s(f.channel) ?? 'sms',
    to: s(f.to),
    state: s(f.state) ?? 'unknown',
    providerId: s(f.provider_id),
    at: typeof f.at === 'number' ? f.at : 0,
    reason: s(f.reason),
  };
}

export function toSendRecord(r: SendRow): SendRecord {
  return {
    id: r.id,
    idempotencyKey: r.idempotency_key,
    requestHash: r.request_hash,
    phoneNumberId: r.phone_number_id,
    recipient: r.recipient,
    recipientKind: r.recipient_kind === 'bsuid' ? 'bsuid' : 'phone',
    type: r.type,
    templateName: r.template_name,
    templateLanguage: r.template_language,
    message: r.message,
    smsFallbackText: r.sms_fallback_text,
    forced: Number(r.forced) === 1,
    createdAt: Number(r.created_at),
    deadlineAt: Number(r.deadline_at),
    state: r.state as SendRecord['state'],
    wamid: r.wamid,
    waId: r.wa_id,
    userId: r.user_id,
    messageStatus: r.message_status,
    httpStatus: r.http_status,
    fbtraceId: r.fbtrace_id,
    outcome: parseObject(r.outcome),
    fallback: toFallback(r.fallback),
    answeredAt: num(r.answered_at),
  };
}

/** The language as the templates table is compared: `en-US` → `en_US`. */
export const languageKey = (language: string | null): string | null =>
  language === null ? null : language.replace(/-/g, '_');
