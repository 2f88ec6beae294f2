/**
 * The business-side state Wharf keeps from Meta's webhooks, read back: templates (is this template
 * paused?), phone numbers (quality, messaging limit tier, display name) and the account
 * (restrictions, bans, reviews, capability changes).
 */
import type { ReadStore } from '../../ports/read-store.js';
import type { ApiRoute } from '../api-router.js';
import { sendJson } from '../send.js';
import { accountStateJson, phoneNumberJson, templateJson } from '../../events/business-state-json.js';

export function businessStateRoutes(store: ReadStore): ApiRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/templates',
      summary:
        'Every message template (name, language): latest status and its reason, category, quality, and the history of events about it',
      params: [
        { name: 'name', description: 'Only templates of this name' },
        { name: 'language', description: 'Only templates in this language (e.g. en_US)' },
        {
          name: 'status',
          description: 'Only templates whose latest status is this one (e.g. PAUSED), any letter case',
        },
      ],
      responses: { '200': { description: 'Templates by name and language', schema: 'TemplateList' } },
      handler: async ({ res, query }) => {
        const name = query.get('name');
        const language = query.get('language');
        const status = query.get('status')?.toUpperCase() ?? null;
        const data = (await store.listTemplates())
          .filter(
            (t) =>
              (name === null || t.name === name) &&
              (language === null || t.language === language) &&
              (status === null || t.status?.value?.toUpperCase() === status),
          )
          .map(templateJson);
        sendJson(res, 200, { data });
      },
    },
    {
      method: 'GET',
      path: '/api/v1/phone-numbers',
      summary:
        'Every business phone number: display number, quality event, messaging limit tier, display name status',
      responses: {
        '200': { description: 'Phone numbers Meta sent events about', schema: 'PhoneNumberList' },
      },
      handler: async ({ res }) => {
        sendJson(res, 200, { data: (await store.listPhoneNumbers()).map(phoneNumberJson) });
      },
    },
    {
      method: 'GET',
      path: '/api/v1/account',
      summary:
        'Account restrictions, violations, bans, reviews and capability changes: the newest of each, newest first',
      responses: {
        '200': { description: 'The newest event of each account aspect', schema: 'AccountStateList' },
      },
      handler: async ({ res }) => {
        sendJson(res, 200, { data: (await store.accountEvents()).map(accountStateJson) });
      },
    },
  ];
}
