/**
 * Templates, phone numbers and account state as the read port shows them. Both adapters keep the
 * same columns and run the same statements (no parameters, so no placeholder dialect), so they
 * answer identically; key columns sort bytewise in both (PostgreSQL declares them COLLATE "C").
 */
import type { AccountStateView, PhoneNumberView, TemplateView } from '../ports/read-store.js';
import { n, s, type Row } from './state-views.js';

export const MANAGEMENT_SQL = {
  templates: 'SELECT * FROM templates ORDER BY name, language, template_key',
  templateHistory: 'SELECT * FROM template_history ORDER BY template_key, at DESC NULLS LAST, event_key DESC',
  phoneNumbers: 'SELECT * FROM phone_numbers ORDER BY phone_key',
  account: 'SELECT * FROM account_state ORDER BY at DESC NULLS LAST, waba_id, aspect',
} as const;

export function templateViews(templates: readonly Row[], history: readonly Row[]): TemplateView[] {
  const byTemplate = new Map<string, TemplateView['history'][number][]>();
  for (const h of history) {
    const key = String(h['template_key']);
    const list = byTemplate.get(key) ?? [];
    list.push({
      event: String(h['event_name']),
      at: n(h['at']),
      value: s(h['value']),
      detail: s(h['detail']),
    });
    byTemplate.set(key, list);
  }
  return templates.map((t) => ({
    templateId: s(t['template_id']),
    wabaId: s(t['waba_id']),
    name: s(t['name']),
    language: s(t['language']),
    status:
      t['status_rank'] === null
        ? null
        : { value: s(t['status']), reason: s(t['status_reason']), at: n(t['status_at']) },
    quality: t['quality_rank'] === null ? null : { value: s(t['quality']), at: n(t['quality_at']) },
    category: t['category_rank'] === null ? null : { value: s(t['category']), at: n(t['category_at']) },
    history: byTemplate.get(String(t['template_key'])) ?? [],
  }));
}

export function phoneNumberView(r: Row): PhoneNumberView {
  const key = String(r['phone_key']);
  return {
    phoneNumberId: key.startsWith('display:') ? null : key,
    wabaId: s(r['waba_id']),
    displayPhoneNumber: s(r['display_phone_number']),
    name:
      r['name_rank'] === null
        ? null
        : {
            status: s(r['name_status']),
            requested: s(r['requested_name']),
            rejectionReason: s(r['name_rejection_reason']),
          },
    quality:
      r['quality_rank'] === null
        ? null
        : {
            event: s(r['quality_event']),
            currentLimit: s(r['current_limit']),
            oldLimit: s(r['old_limit']),
            maxDailyConversations: s(r['max_daily_conversations']),
          },
  };
}

export function accountStateView(r: Row): AccountStateView {
  return {
    wabaId: String(r['waba_id']),
    aspect: String(r['aspect']),
    at: n(r['at']),
    data: JSON.parse(String(r['value'])) as unknown,
  };
}
