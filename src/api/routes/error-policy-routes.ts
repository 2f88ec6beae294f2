import type { ApiRoute } from '../api-router.js';
import { sendError, sendJson } from '../send.js';
import { errorPolicy } from '../../core/error-policy.js';

/** GET /api/v1/error-policy/{code}: what a WhatsApp error code means and what to do about it. */
export function errorPolicyRoutes(): ApiRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/error-policy/:code',
      summary: "A WhatsApp error code's category, recommended action and meaning (Wharf's error policy)",
      responses: {
        '200': { description: 'The policy for this code', schema: 'ErrorPolicy' },
        '400': { description: 'The code is not an integer', schema: 'Error' },
      },
      handler: ({ res, params }) => {
        const raw = params['code'] ?? '';
        if (!/^\d{1,9}$/.test(raw))
          return sendError(res, 'BAD_REQUEST', 'code must be an integer, e.g. 131026');
        const p = errorPolicy(Number(raw));
        sendJson(res, 200, {
          code: p.code,
          category: p.category,
          action: p.action,
          alert: p.alert,
          meaning: p.meaning,
          confirmed: p.confirmed,
          retry_after_ms: p.retryAfterMs ?? null,
        });
      },
    },
  ];
}
