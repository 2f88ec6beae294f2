import type { ReadStore } from '../../ports/read-store.js';
import type { ApiRoute } from '../api-router.js';
import { sendError, sendJson } from '../send.js';
import { contactJson } from '../../events/event-json.js';
import { decodeCursor, encodeCursor } from '../../core/cursor.js';
import { suppressionCsv } from '../../core/suppression-csv.js';
import { parseLimit, PAGE_PARAMS } from '../parse-limit.js';

const wantsCsv = (accept: string | undefined) => accept !== undefined && /\btext\/csv\b/i.test(accept);

/** `?cursor=`: the offset of the next page in the newest-activity order. */
function offsetOf(cursor: string | null): number | null {
  if (cursor === null || cursor === '') return 0;
  try {
    const position = decodeCursor(cursor);
    return /^o:[1-9]\d{0,9}$/.test(position) ? Number(position.slice(2)) : null;
  } catch {
    return null;
  }
}

/**
 * GET /api/v1/contacts: every contact, newest activity first (`?marketing_opt_out=`; with
 * `Accept: text/csv`, all of them as a suppression list); GET /api/v1/contacts/{id}: by phone
 * number or BSUID — identity, service window, marketing opt-out.
 */
export function contactsRoutes(store: ReadStore, now: () => number): ApiRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/contacts',
      summary:
        'Contacts, newest activity first, merged across phone number and BSUID; Accept: text/csv exports every match as a suppression list',
      params: [
        {
          name: 'marketing_opt_out',
          description: 'true: only contacts who stopped marketing messages; false: only the others',
          schema: { type: 'string', enum: ['true', 'false'] },
        },
        ...PAGE_PARAMS,
        {
          name: 'accept',
          in: 'header',
          description:
            '`text/csv`: every matching contact as CSV (wa_id, user_id, name, marketing_opt_out, marketing_preference_at, marketing_preference_source, last_inbound_at), no paging',
        },
      ],
      responses: {
        '200': { description: 'A page of contacts (or the CSV)', schema: 'ContactPage' },
        '400': { description: 'A parameter is invalid; the message names it', schema: 'Error' },
      },
      handler: async ({ req, res, query }) => {
        const optOut = query.get('marketing_opt_out');
        if (optOut !== null && optOut !== 'true' && optOut !== 'false')
          return sendError(res, 'BAD_REQUEST', 'marketing_opt_out must be true or false');
        const limit = parseLimit(query.get('limit'), 50, 1000);
        if (limit === null)
          return sendError(res, 'BAD_REQUEST', 'limit must be a whole number from 1 to 1000');
        const offset = offsetOf(query.get('cursor'));
        if (offset === null) return sendError(res, 'BAD_REQUEST', 'cursor is not one this API gave');
        const all = (await store.listContacts()).filter(
          (c) => optOut === null || (c.marketingOptOut?.optedOut ?? false) === (optOut === 'true'),
        );
        if (wantsCsv(req.headers.accept)) {
          const csv = suppressionCsv(all);
          res.writeHead(200, {
            'content-type': 'text/csv; charset=utf-8',
            'content-length': Buffer.byteLength(csv),
            'content-disposition': `attachment; filename="${optOut === 'true' ? 'wharf-suppression-list' : 'wharf-contacts'}.csv"`,
          });
          return void res.end(csv);
        }
        const at = now();
        const page = all.slice(offset, offset + limit);
        const next = offset + limit < all.length ? encodeCursor(`o:${offset + limit}`) : null;
        sendJson(res, 200, {
          data: page.map((c) => ({ ...contactJson(c.id, c, at), last_activity_at: iso(c.lastActivityAt) })),
          next_cursor: next,
          total: all.length,
        });
      },
    },
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

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
