import type { ConversationStore } from '../../ports/conversation-store.js';
import type { ApiRoute } from '../api-router.js';
import { sendError, sendJson } from '../send.js';
import { readBody } from '../read-body.js';
import { PAGE_PARAMS, parseLimit } from '../parse-limit.js';
import { conversationJson } from '../../core/conversation-json.js';
import { parseConversationPatch } from '../../core/parse-conversation-patch.js';

const NUMBER_PARAM = {
  name: 'phone_number_id',
  description: 'Only this business number (for one contact: the number, when they talk to several)',
};
const NOT_FOUND = { description: 'No message joins this contact and number', schema: 'Error' } as const;

/** A filter given twice is refused, as the events listing refuses it: which one was meant is unknown. */
const repeated = (q: URLSearchParams, names: readonly string[]) =>
  names.find((name) => q.getAll(name).length > 1);

/** GET/PATCH /api/v1/conversations. */
export function conversationsRoutes(store: ConversationStore, now: () => number): ApiRoute[] {
  const numberOf = (q: URLSearchParams) => q.get('phone_number_id') ?? undefined;
  return [
    {
      method: 'GET',
      path: '/api/v1/conversations',
      summary:
        'Conversations, one per (phone_number_id, contact), newest activity first (label, phone_number_id, cursor)',
      params: [
        { name: 'label', description: 'Only conversations with this label' },
        NUMBER_PARAM,
        ...PAGE_PARAMS,
      ],
      responses: {
        '200': { description: 'One page of conversations and the total', schema: 'ConversationPage' },
        '400': { description: 'A parameter is invalid; the message names it', schema: 'Error' },
      },
      handler: async ({ res, query }) => {
        const limit = parseLimit(query.get('limit'), 50, 200);
        if (limit === null) return sendError(res, 'BAD_REQUEST', 'limit must be an integer from 1 to 200');
        const twice = repeated(query, ['label', 'phone_number_id']);
        if (twice) return sendError(res, 'BAD_REQUEST', `${twice} may be given once`);
        const label = query.get('label');
        const pnid = numberOf(query);
        const cursor = query.get('cursor');
        let page;
        try {
          page = await store.listConversations({
            limit,
            ...(label ? { label } : {}),
            ...(pnid ? { phoneNumberId: pnid } : {}),
            ...(cursor ? { cursor } : {}),
          });
        } catch (err) {
          if (err instanceof RangeError) return sendError(res, 'BAD_REQUEST', 'invalid cursor');
          throw err;
        }
        const at = now();
        sendJson(res, 200, {
          data: page.data.map((c) => conversationJson(c, at, false)),
          next_cursor: page.nextCursor,
          total: page.total,
        });
      },
    },
    {
      method: 'GET',
      path: '/api/v1/conversations/:id',
      summary: 'One conversation by phone number or BSUID: summary, last 20 messages, window, notes, labels',
      params: [NUMBER_PARAM],
      responses: {
        '200': {
          description: 'The conversation, merged across the contact’s identifiers',
          schema: 'Conversation',
        },
        '404': NOT_FOUND,
      },
      handler: async ({ res, params, query }) => {
        const c = await store.getConversation(params['id'] ?? '', numberOf(query));
        if (c === null) return sendError(res, 'NOT_FOUND', 'no message joins this contact and number');
        sendJson(res, 200, conversationJson(c, now(), true));
      },
    },
    {
      method: 'PATCH',
      path: '/api/v1/conversations/:id',
      summary: 'Set note, automation_notes or labels of a conversation (absent fields are kept)',
      params: [NUMBER_PARAM],
      body: 'ConversationPatch',
      responses: {
        '200': { description: 'The conversation after the change', schema: 'Conversation' },
        '400': { description: 'The body is missing or not JSON', schema: 'Error' },
        '404': NOT_FOUND,
        '422': {
          description: 'A field is invalid; the message names it (CONVERSATION_FIELD_INVALID)',
          schema: 'Error',
        },
      },
      handler: async ({ req, res, params, query }) => {
        const body = await readBody(req, 256 * 1024);
        if (!body.ok) return sendError(res, 'BAD_REQUEST', 'body missing or larger than 256 KiB');
        let json: unknown;
        try {
          json = JSON.parse(body.body.toString('utf8'));
        } catch {
          return sendError(res, 'BAD_REQUEST', 'body must be JSON');
        }
        const patch = parseConversationPatch(json);
        if (!patch.ok) return sendError(res, 'CONVERSATION_FIELD_INVALID', `${patch.field} ${patch.reason}`);
        const at = now();
        const c = await store.annotateConversation(params['id'] ?? '', numberOf(query), patch.value, at);
        if (c === null) return sendError(res, 'NOT_FOUND', 'no message joins this contact and number');
        sendJson(res, 200, conversationJson(c, at, true));
      },
    },
  ];
}
