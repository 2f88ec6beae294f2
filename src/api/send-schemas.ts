/** JSON Schemas of `POST /api/v1/messages` (OpenAPI `components.schemas`), beside openapi-schemas.ts. */
import { SEND_TYPES } from '../core/send/parse-send-request.js';

const strOrNull = { type: ['string', 'null'] };

export const SEND_SCHEMAS = {
  SendRequest: {
    type: 'object',
    description:
      'Meta\'s message object (Cloud API "Send messages": to or recipient, type and the object of that type, context) plus phone_number_id and optional sms_fallback_text. Other fields are passed on to Meta.',
    required: ['phone_number_id'],
    properties: {
      phone_number_id: { type: 'string', pattern: '^\\d+$', description: 'The business number that sends' },
      to: { type: 'string', description: 'Phone number with country code (wins over recipient)' },
      recipient: { type: 'string', description: 'Business-scoped user id (BSUID)' },
      type: {
        type: 'string',
        enum: [...SEND_TYPES],
        default: 'text',
      },
      messaging_product: { type: 'string', enum: ['whatsapp'] },
      context: { type: 'object', properties: { message_id: { type: 'string' } } },
      sms_fallback_text: {
        type: 'string',
        maxLength: 1600,
        description: 'Text of the SMS fallback',
      },
    },
    additionalProperties: true,
  },
  SendResult: {
    type: 'object',
    required: ['id', 'wamid', 'status', 'forced', 'message_status'],
    properties: {
      id: { type: 'string', description: 'The send record (GET /api/v1/messages/{id})' },
      wamid: { type: 'string' },
      status: { type: 'string', enum: ['accepted'] },
      forced: { type: 'boolean' },
      message_status: {
        ...strOrNull,
        description: "Meta's messages[0].message_status (templates: accepted)",
      },
    },
  },
  SendFailure: {
    type: 'object',
    required: ['error'],
    description:
      'error {code, message, docs}; for a send that was recorded also id, wamid, status (failed | unknown | sending), and meta_error {code, title, details, fbtrace_id, category, action} when Meta answered with an error',
    properties: {
      error: { type: 'object' },
      id: { type: 'string' },
      status: { type: 'string' },
      reason: strOrNull,
      field: { type: 'string', description: 'The invalid field (422 SEND_INVALID)' },
      meta_error: { type: ['object', 'null'] },
    },
  },
} as const;
