import type { Inbox } from '../../ports/inbox.js';
import type { ReadStore } from '../../ports/read-store.js';
import type { ApiRoute } from '../api-router.js';
import { sendError, sendJson } from '../send.js';
import { eventJson } from '../../events/event-json.js';

const ID = /^\d{1,18}$/;

/**
 * One event by id (what a dead letter or an attempt names) and one delivery's raw body, as stored:
 * the dashboard's inspect views, readable by any script the same way.
 */
export function lookupRoutes(store: ReadStore, inbox: Inbox): ApiRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/events/:id',
      summary: 'One event by its id (the event.id of a dead letter, the event_id of an attempt)',
      responses: {
        '200': { description: 'The event', schema: 'Event' },
        '400': { description: 'The id is not an event id', schema: 'Error' },
        '404': { description: 'No event has this id (pruned, or never stored)', schema: 'Error' },
      },
      handler: async ({ res, params }) => {
        const id = params['id'] ?? '';
        if (!ID.test(id) || BigInt(id) < 1n)
          return sendError(res, 'BAD_REQUEST', 'id must be the id of an event (digits)');
        // The tail read of the stream, from just before this id, is a lookup by id on both adapters.
        const [found] = await store.eventsAfter(String(BigInt(id) - 1n), {}, 1);
        if (found?.id !== String(BigInt(id))) return sendError(res, 'NOT_FOUND', 'no event has this id');
        sendJson(res, 200, eventJson(found));
      },
    },
    {
      method: 'GET',
      path: '/api/v1/deliveries/:id/body',
      summary: 'The raw body of one delivery, byte for byte as Meta sent it (invalid ones included)',
      responses: {
        '200': { description: 'The stored bytes', contentType: 'application/octet-stream' },
        '400': { description: 'The id is not a delivery id', schema: 'Error' },
        '404': { description: 'No delivery has this id', schema: 'Error' },
      },
      handler: async ({ res, params }) => {
        const id = params['id'] ?? '';
        if (!ID.test(id)) return sendError(res, 'BAD_REQUEST', 'id must be the id of a delivery (digits)');
        const body = await inbox.body(id);
        if (body === null) return sendError(res, 'NOT_FOUND', 'no delivery has this id');
        // Not application/json: an invalid delivery's bytes are not JSON, and the page shows them as text.
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': body.byteLength,
          'x-content-type-options': 'nosniff',
        });
        res.end(body);
      },
    },
  ];
}
