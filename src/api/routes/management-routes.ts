import type { AccountStateView, PhoneNumberView, ReadStore, TemplateView } from '../../ports/read-store.js';
import type { ApiRoute } from '../api-router.js';
import { sendJson } from '../send.js';
import { snakeCaseKeys } from '../../events/snake-case-keys.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function templateJson(t: TemplateView) {
  return {
    template_id: t.templateId,
    waba_id: t.wabaId,
    name: t.name,
    language: t.language,
    status: t.status?.value ?? null,
    status_reason: t.status?.reason ?? null,
    status_at: iso(t.status?.at ?? null),
    category: t.category?.value ?? null,
    quality: t.quality?.value ?? null,
    history: t.history.map((h) => ({ event: h.event, at: iso(h.at), value: h.value, detail: h.detail })),
  };
}

export function phoneNumberJson(p: PhoneNumberView) {
  return {
    phone_number_id: p.phoneNumberId,
    waba_id: p.wabaId,
    display_phone_number: p.displayPhoneNumber,
    name_status: p.name?.status ?? null,
    requested_name: p.name?.requested ?? null,
    name_rejection_reason: p.name?.rejectionReason ?? null,
    quality_event: p.quality?.event ?? null,
    messaging_limit: p.quality?.currentLimit ?? null,
    old_messaging_limit: p.quality?.oldLimit ?? null,
    max_daily_conversations: p.quality?.maxDailyConversations ?? null,
  };
}

export function accountJson(a: AccountStateView) {
  return { waba_id: a.wabaId, aspect: a.aspect, at: iso(a.at), data: snakeCaseKeys(a.data) };
}

/** GET /api/v1/templates, /phone-numbers, /account (design §7.3): the management state Meta reported. */
export function managementRoutes(store: ReadStore): ApiRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/templates',
      summary: 'Each template (name, language): latest status and reason, category, quality, history',
      responses: { '200': { description: 'Every template', schema: 'TemplateList' } },
      handler: async ({ res }) =>
        sendJson(res, 200, { data: (await store.listTemplates()).map(templateJson) }),
    },
    {
      method: 'GET',
      path: '/api/v1/phone-numbers',
      summary: 'Each business number: display number, quality event, messaging limit tier, name status',
      responses: { '200': { description: 'Every number', schema: 'PhoneNumberList' } },
      handler: async ({ res }) =>
        sendJson(res, 200, { data: (await store.listPhoneNumbers()).map(phoneNumberJson) }),
    },
    {
      method: 'GET',
      path: '/api/v1/account',
      summary: 'Account restrictions, violations, bans, reviews and capability changes, newest first',
      responses: { '200': { description: 'The newest event of each account aspect', schema: 'AccountList' } },
      handler: async ({ res }) =>
        sendJson(res, 200, { data: (await store.accountEvents()).map(accountJson) }),
    },
  ];
}
