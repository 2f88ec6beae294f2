/**
 * JSON Schemas of the routes the dashboard reads beside the rest of the API (stats, error policy,
 * templates, phone numbers, account); merged into components.schemas by openapi-schemas.ts.
 */
import { ERROR_ACTIONS, ERROR_CATEGORIES } from '../core/error-policy.js';

const str = { type: 'string' };
const strOrNull = { type: ['string', 'null'] };
const int = { type: 'integer' };
const time = { type: 'string', format: 'date-time' };
const timeOrNull = { type: ['string', 'null'], format: 'date-time' };

function object(properties: Record<string, unknown>) {
  return { type: 'object', required: Object.keys(properties), properties };
}
const list = (item: Record<string, unknown>) => object({ data: { type: 'array', items: item } });

const category = { type: 'string', enum: [...ERROR_CATEGORIES] };
const action = { type: 'string', enum: [...ERROR_ACTIONS] };

export const DASHBOARD_SCHEMAS = {
  Stats: object({
    since: time,
    bucket_seconds: int,
    events: { type: 'array', items: object({ at: time, name: str, count: int }) },
    failures: {
      type: 'array',
      items: object({
        at: time,
        code: { type: ['integer', 'null'] },
        count: int,
        category,
        action,
        meaning: str,
      }),
    },
    pricing: {
      type: 'array',
      items: object({ category: strOrNull, billable: { type: ['boolean', 'null'] }, count: int }),
    },
  }),
  ErrorPolicy: object({
    code: { type: ['integer', 'null'] },
    category,
    action,
    alert: { type: 'boolean' },
    meaning: str,
    confirmed: { type: 'boolean', description: 'False for codes seen only in third-party SDK sources' },
    retry_after_ms: { type: ['integer', 'null'] },
  }),
  TemplateList: list(
    object({
      template_id: strOrNull,
      waba_id: strOrNull,
      name: strOrNull,
      language: strOrNull,
      status: strOrNull,
      status_reason: strOrNull,
      status_at: timeOrNull,
      category: strOrNull,
      quality: strOrNull,
      history: {
        type: 'array',
        items: object({ event: str, at: timeOrNull, value: strOrNull, detail: strOrNull }),
      },
    }),
  ),
  PhoneNumberList: list(
    object({
      phone_number_id: strOrNull,
      waba_id: strOrNull,
      display_phone_number: strOrNull,
      name_status: strOrNull,
      requested_name: strOrNull,
      name_rejection_reason: strOrNull,
      quality_event: strOrNull,
      messaging_limit: strOrNull,
      old_messaging_limit: strOrNull,
      max_daily_conversations: strOrNull,
    }),
  ),
  AccountList: list(object({ waba_id: str, aspect: str, at: timeOrNull, data: {} })),
} as const;
