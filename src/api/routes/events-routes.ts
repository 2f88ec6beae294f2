import type { ReadStore } from '../../ports/read-store.js';
import type { ApiRoute } from '../api-router.js';
import { sendError, sendJson } from '../send.js';
import { PAGE_PARAMS, parseLimit } from '../parse-limit.js';
import { EVENT_FILTER_PARAMS, parseEventQuery } from '../event-filter-params.js';
import { eventJson } from '../../events/event-json.js';

/** GET /api/v1/events: normalized events, newest first, filtered, paged by an opaque cursor. */
export function eventsRoutes(store: ReadStore): ApiRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/events',
      summary:
        'Normalized events, newest first (name or prefix, phone_number_id, contact, wamid, since, limit, cursor)',
      params: [...EVENT_FILTER_PARAMS, ...PAGE_PARAMS],
      responses: {
        '200': { description: 'One page of events', schema: 'EventPage' },
        '400': { description: 'A parameter is invalid; the message names it', schema: 'Error' },
      },
      handler: async ({ res, query }) => {
        const limit = parseLimit(query.get('limit'));
        if (limit === null) return sendError(res, 'BAD_REQUEST', 'limit must be an integer from 1 to 1000');
        const parsed = parseEventQuery(query);
        if ('error' in parsed) return sendError(res, parsed.code, parsed.error);
        const cursor = query.get('cursor');
        let page;
        try {
          page = await store.listEvents({ ...parsed.filter, limit, ...(cursor ? { cursor } : {}) });
        } catch (err) {
          if (err instanceof RangeError)
            return sendError(res, 'BAD_REQUEST', 'cursor must be the next_cursor of a previous page');
          throw err;
        }
        sendJson(res, 200, { data: page.data.map(eventJson), next_cursor: page.nextCursor });
      },
    },
  ];
}
