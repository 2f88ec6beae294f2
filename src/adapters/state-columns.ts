/**
 * State change → column values, shared by the SQLite and PostgreSQL adapters (same tables, same
 * columns), so both write exactly the same state for the same events.
 */
import type { AnyWharfEvent } from '../events/wharf-event.js';
import type {
  AccountChange,
  MessageChange,
  PhoneNumberChange,
  StatusChange,
  TemplateChange,
} from '../core/state-change.js';

export type Columns = Record<string, string | number | null>;

export const v = (x: string | number | undefined | null): string | number | null => x ?? null;
export const flag = (b: boolean | undefined): number | null => (b === undefined ? null : b ? 1 : 0);

/** Contact identity columns, each with a `<column>_rank`, and the ContactChange field it holds. */
export const CONTACT_FIELD_OF = {
  wa_id: 'waId',
  user_id: 'userId',
  parent_user_id: 'parentUserId',
  username: 'username',
  name: 'name',
  replaced_by: 'replacedBy',
} as const;
export const CONTACT_COLUMNS = Object.keys(CONTACT_FIELD_OF) as ReadonlyArray<keyof typeof CONTACT_FIELD_OF>;

export function messageColumns(m: MessageChange): Columns {
  const c = m.content;
  return {
    phone_number_id: m.phoneNumberId,
    wamid: m.wamid,
    direction: c.direction,
    type: v(c.type),
    preview: v(c.preview),
    media_id: v(c.mediaId),
    media_url: v(c.mediaUrl),
    media_sha256: v(c.mediaSha256),
    media_mime_type: v(c.mediaMimeType),
    context_id: v(c.contextId),
    context_from: v(c.contextFrom),
    forwarded: flag(c.forwarded),
    frequently_forwarded: flag(c.frequentlyForwarded),
    occurred_at: m.occurredAt,
    content_rank: m.rank,
    contact_wa_id: v(m.contactWaId),
    contact_user_id: v(m.contactUserId),
  };
}

export function templateColumns(t: TemplateChange): Columns {
  const has = (x: unknown) => x !== undefined;
  return {
    template_key: t.templateKey,
    waba_id: t.wabaId,
    template_id: v(t.templateId),
    name: v(t.name),
    language: v(t.language),
    status: v(t.status?.value),
    status_reason: v(t.status?.reason),
    status_at: t.status ? t.at : null,
    status_rank: t.status ? t.rank : null,
    quality: v(t.quality),
    quality_at: has(t.quality) ? t.at : null,
    quality_rank: has(t.quality) ? t.rank : null,
    category: v(t.category),
    category_at: has(t.category) ? t.at : null,
    category_rank: has(t.category) ? t.rank : null,
  };
}

export function phoneColumns(p: PhoneNumberChange): Columns {
  return {
    phone_key: p.phoneKey,
    waba_id: p.wabaId,
    display_phone_number: v(p.displayPhoneNumber),
    name_status: v(p.name?.status),
    requested_name: v(p.name?.requested),
    name_rejection_reason: v(p.name?.rejectionReason),
    name_rank: p.name ? p.rank : null,
    quality_event: v(p.quality?.event),
    current_limit: v(p.quality?.currentLimit),
    old_limit: v(p.quality?.oldLimit),
    max_daily_conversations: v(p.quality?.maxDailyConversations),
    quality_rank: p.quality ? p.rank : null,
  };
}

export function accountColumns(a: AccountChange): Columns {
  return {
    waba_id: a.wabaId,
    aspect: a.aspect,
    value: JSON.stringify(a.value) ?? 'null',
    at: a.at,
    rank: a.rank,
  };
}

/** The columns a status writes into `messages`, in the order of statusValues. */
export const STATUS_COLUMNS = [
  'phone_number_id',
  'wamid',
  'status_rank',
  'sent_at',
  'delivered_at',
  'read_at',
  'played_at',
  'failed_at',
  'pricing_category',
  'pricing_type',
  'pricing_model',
  'pricing_billable',
  'pricing_rank',
  'conversation_id',
  'conversation_origin',
  'conversation_expires_at',
  'conversation_rank',
  'biz_opaque_callback_data',
  'contact_wa_id',
  'contact_user_id',
] as const;

/**
 * A status's values in STATUS_COLUMNS order: an array, so an adapter can bind them positionally
 * (statuses are the bulk of the traffic; building an object and reading it back by name measured
 * about 1 µs per status).
 */
export function statusValues(s: StatusChange): Array<string | number | null> {
  const at = (st: string) => (s.status === st ? s.at : null);
  return [
    s.phoneNumberId,
    s.wamid,
    v(s.statusRank),
    at('sent'),
    at('delivered'),
    at('read'),
    at('played'),
    at('failed'),
    v(s.pricing?.category),
    v(s.pricing?.type),
    v(s.pricing?.model),
    flag(s.pricing?.billable),
    s.pricing ? s.rank : null,
    v(s.conversation?.id),
    v(s.conversation?.origin),
    v(s.conversation?.expiresAt),
    s.conversation ? s.rank : null,
    v(s.bizOpaqueCallbackData),
    v(s.contactWaId),
    v(s.contactUserId),
  ];
}

export function statusColumns(s: StatusChange): Columns {
  const values = statusValues(s);
  const c: Columns = {};
  STATUS_COLUMNS.forEach((name, i) => (c[name] = values[i] ?? null));
  return c;
}

/**
 * An event's values in the `events` table's column order (key, name, field, occurred_at, waba_id,
 * phone_number_id, display_phone_number, contact_wa_id, contact_user_id, contact_parent_user_id,
 * contact_username, contact_name, wamid, data, raw, delivery_id). `withRaw` false: `raw` NULL, the
 * item being read from the delivery body when asked for (SQLite, src/adapters/sqlite/raw-of-rows.ts).
 */
export function eventColumnValues(
  e: AnyWharfEvent,
  deliveryId: string,
  withRaw = true,
): Array<string | number | null> {
  const c = e.contact;
  return [
    e.key,
    e.name,
    e.field,
    e.occurredAt,
    e.wabaId,
    e.phoneNumberId ?? null,
    e.displayPhoneNumber ?? null,
    c?.waId ?? null,
    c?.userId ?? null,
    c?.parentUserId ?? null,
    c?.username ?? null,
    c?.name ?? null,
    e.wamid ?? null,
    JSON.stringify(e.data) ?? 'null',
    withRaw ? (JSON.stringify(e.raw) ?? null) : null,
    Number(deliveryId),
  ];
}
