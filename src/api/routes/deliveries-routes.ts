import type { Inbox, ProcessingState } from '../../ports/inbox.js';
import type { ApiRoute } from '../api-router.js';
import { sendError, sendJson } from '../send.js';
import { PAGE_PARAMS, parseLimit } from '../parse-limit.js';

const STATES: readonly ProcessingState[] = ['pending', 'processing', 'processed', 'invalid'];

/** GET /api/v1/deliveries: raw deliveries, newest first, with their processing state. */
export function deliveriesRoutes(inbox: Inbox): ApiRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/deliveries',
      summary: 'Stored raw deliveries, newest first (limit, cursor, state)',
      params: [
        ...PAGE_PARAMS,
        {
          name: 'state',
          description: 'Only deliveries in this processing state',
          schema: { type: 'string', enum: STATES },
        },
      ],
      responses: {
        '200': { description: 'One page of deliveries', schema: 'DeliveryPage' },
        '400': { description: 'A parameter is invalid; the message names it', schema: 'Error' },
      },
      handler: async ({ res, query }) => {
        const limit = parseLimit(query.get('limit'));
        if (limit === null) return sendError(res, 'BAD_REQUEST', 'limit must be an integer from 1 to 1000');
        const state = query.get('state');
        if (state !== null && !STATES.includes(state as ProcessingState))
          return sendError(res, 'BAD_REQUEST', `state must be one of ${STATES.join(', ')}`);
        let page;
        try {
          page = await inbox.list({
            limit,
            ...(query.get('cursor') ? { cursor: query.get('cursor') as string } : {}),
            ...(state ? { state: state as ProcessingState } : {}),
          });
        } catch (err) {
          if (err instanceof RangeError)
            return sendError(res, 'BAD_REQUEST', 'cursor must be the next_cursor of a previous page');
          throw err;
        }
        sendJson(res, 200, {
          data: page.data.map((d) => ({
            id: d.id,
            received_at: new Date(d.receivedAt).toISOString(),
            body_hash: d.bodyHash,
            size: d.size,
            secret_index: d.secretIndex,
            state: d.state,
            duplicates: d.duplicates,
            processed_at: d.processedAt === null ? null : new Date(d.processedAt).toISOString(),
            error: d.error,
          })),
          next_cursor: page.nextCursor,
          total: page.total,
        });
      },
    },
  ];
}
