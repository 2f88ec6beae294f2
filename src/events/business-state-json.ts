/**
 * Wharf's JSON of the business-side state (templates, phone numbers, account), snake_case like the
 * rest of the read API (README.md, "Read API"). Pure.
 */
import type { AccountStateView, PhoneNumberView, TemplateView } from '../ports/read-store.js';
import { snakeCaseKeys } from './snake-case-keys.js';

const iso = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

/** One template (name, language): latest status with its reason, category, quality, and every event about it. */
export function templateJson(t: TemplateView) {
  return {
    template_id: t.templateId,
    waba_id: t.wabaId,
    name: t.name,
    language: t.language,
    status: t.status?.value ?? null,
    reason: t.status?.reason ?? null,
    status_at: iso(t.status?.at),
    category: t.category?.value ?? null,
    category_at: iso(t.category?.at),
    quality: t.quality?.value ?? null,
    quality_at: iso(t.quality?.at),
    history: t.history.map((h) => ({ event: h.event, at: iso(h.at), value: h.value, detail: h.detail })),
  };
}

/** One business number: display number, quality and messaging limit tier, display name decision. */
export function phoneNumberJson(p: PhoneNumberView) {
  return {
    phone_number_id: p.phoneNumberId,
    waba_id: p.wabaId,
    display_phone_number: p.displayPhoneNumber,
    quality_event: p.quality?.event ?? null,
    messaging_limit_tier: p.quality?.currentLimit ?? null,
    previous_messaging_limit_tier: p.quality?.oldLimit ?? null,
    max_daily_conversations: p.quality?.maxDailyConversations ?? null,
    name_status: p.name?.status ?? null,
    requested_name: p.name?.requested ?? null,
    name_rejection_reason: p.name?.rejectionReason ?? null,
  };
}

/** The newest event of one account aspect (restriction, violation, ban, review, capability …). */
export function accountStateJson(a: AccountStateView) {
  return { waba_id: a.wabaId, aspect: a.aspect, at: iso(a.at), data: snakeCaseKeys(a.data) };
}
