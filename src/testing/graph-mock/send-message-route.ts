/**
 * `POST /{version}/{phone-number-id}/messages` as Meta documents it (Cloud API, "Send messages"):
 * `messaging_product: "whatsapp"`, `to` (phone) or `recipient` (BSUID; `to` wins when both are
 * given), `type` and the object of that type. Answers `{messaging_product, contacts: [{input,
 * wa_id | user_id}], messages: [{id, message_status?}]}`; a template gets `message_status:
 * "accepted"`. Outside the contact's 24 h window a non-template fails with 131047; past the number's
 * throughput, 130429.
 */
import { SEND_TYPES } from '../../core/send/parse-send-request.js';
import { MOCK_ERRORS, invalidParameter, missingParameter, type GraphErrorSpec } from './graph-error.js';
import type { GraphMockState } from './graph-mock-state.js';
import type { GraphMockAnswer, GraphMockRequest, GraphRoute } from './graph-route.js';

/** Message types Meta's send endpoint takes, each with an object of the same name. */
const TYPES: ReadonlySet<string> = new Set(SEND_TYPES);

type Body = Record<string, unknown>;

/** The number as Meta reads it: digits only (`+44 7700-900123` → `447700900123`). */
export function waIdOf(to: string): string {
  return to.replace(/\D/g, '');
}

function validate(body: unknown): { error: GraphErrorSpec } | { body: Body; type: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { error: invalidParameter('The request body must be a JSON object.') };
  const b = body as Body;
  if (b.messaging_product !== 'whatsapp')
    return { error: invalidParameter('The parameter messaging_product is required and must be "whatsapp".') };
  const to = b.to;
  const recipient = b.recipient;
  if (typeof to !== 'string' && typeof recipient !== 'string')
    return { error: missingParameter('The parameter to (or recipient) is required.') };
  if (typeof to === 'string' && waIdOf(to) === '')
    return { error: invalidParameter('The parameter to must be a phone number.') };
  const type = typeof b.type === 'string' ? b.type : 'text';
  if (!TYPES.has(type)) return { error: invalidParameter(`Unsupported message type: ${type}.`) };
  const content = b[type];
  if (typeof content !== 'object' || content === null)
    return { error: missingParameter(`The parameter ${type} is required.`) };
  if (type === 'text' && typeof (content as Body).body !== 'string')
    return { error: missingParameter('The parameter text[body] is required.') };
  if (type === 'template' && typeof (content as Body).name !== 'string')
    return { error: missingParameter('The parameter template[name] is required.') };
  return { body: b, type };
}

export function sendMessage(
  req: GraphMockRequest,
  phoneNumberId: string,
  state: GraphMockState,
): GraphMockAnswer {
  const checked = validate(req.json);
  if ('error' in checked) return checked;
  const { body, type } = checked;
  const to = typeof body.to === 'string' ? body.to : null;
  const recipient = to === null && typeof body.recipient === 'string' ? body.recipient : null;
  const contact = to !== null ? waIdOf(to) : (recipient as string);
  if (state.enforceWindow && type !== 'template' && !state.windowOpen(contact))
    return { error: MOCK_ERRORS.windowClosed };
  if (!state.takeThroughput(phoneNumberId)) return { error: MOCK_ERRORS.rateLimited };
  const wamid = state.ids.wamid(to !== null ? contact : state.ids.digits(12));
  state.sends.push({ phoneNumberId, wamid, to, recipient, type, body, at: state.now() });
  return {
    status: 200,
    json: {
      messaging_product: 'whatsapp',
      contacts: [to !== null ? { input: to, wa_id: contact } : { input: recipient, user_id: recipient }],
      messages: [type === 'template' ? { id: wamid, message_status: 'accepted' } : { id: wamid }],
    },
  };
}

export const sendMessageRoute: GraphRoute = {
  method: 'POST',
  pattern: /^\/(\d+)\/messages$/,
  handle: (req, match, state) => sendMessage(req, match[1] as string, state),
};
