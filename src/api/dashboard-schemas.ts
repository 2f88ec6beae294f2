/**
 * JSON Schemas of the routes the dashboard reads beside the rest of the API (stats, error policy);
 * merged into components.schemas by openapi-schemas.ts.
 */
import { ERROR_ACTIONS, ERROR_CATEGORIES } from '../core/error-policy.js';

const str = { type: 'string' };
const strOrNull = { type: ['string', 'null'] };
const int = { type: 'integer' };
const time = { type: 'string', format: 'date-time' };

function object(properties: Record<string, unknown>) {
  return { type: 'object', required: Object.keys(properties), properties };
}

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
} as const;
