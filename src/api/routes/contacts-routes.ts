import type { ReadStore } from '../../ports/read-store.js';
import type { ApiRoute } from '../api-router.js';
import { sendError, sendJson } from '../send.js';
import { contactJson } from '../../events/event-json.js';

/** GET /api/v1/contacts/{id}: by phone number or BSUID — identity, service window, marketing opt-out. */
export function contactsRoutes(store: ReadStore, now: () => number): ApiRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/contacts/:id',
      summary:
        'One contact by phone number or business-scoped user id: names, window_open_until, marketing_opt_out',
      responses: {
        '200': { description: 'The contact, merged across its identifiers', schema: 'Contact' },
        '404': { description: 'No event mentioned this contact', schema: 'Error' },
      },
      handler: async ({ res, params }) => {
        const id = params['id'] ?? '';
        const contact = await store.getContact(id);
        if (contact === null) return sendError(res, 'NOT_FOUND', 'no event mentioned this contact');
        sendJson(res, 200, contactJson(id, contact, now()));
      },
    },
  ];
}
