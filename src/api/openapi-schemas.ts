/**
 * JSON Schemas of the /api/v1 answers and bodies (OpenAPI 3.1 `components.schemas`), one per shape
 * built in src/events/event-json.ts and the route files (all snake_case); test/integration/read-api-edges.test.ts compares
 * their property names with real answers, so a field added to one without the other fails there.
 */
import { EVENT_NAMES } from '../events/event-names.js';
import { DESTINATION_SCHEMAS } from './destination-schemas.js';
import { SEND_SCHEMAS } from './send-schemas.js';

const str = { type: 'string' };
const strOrNull = { type: ['string', 'null'] };
const time = { type: 'string', format: 'date-time' };
const timeOrNull = { type: ['string', 'null'], format: 'date-time' };
const boolOrNull = { type: ['boolean', 'null'] };

/** An object whose listed properties are always present (null when unknown); `optional` ones may be absent. */
function object(
  properties: Record<string, unknown>,
  nullable = false,
  optional: Record<string, unknown> = {},
) {
  return {
    type: nullable ? ['object', 'null'] : 'object',
    required: Object.keys(properties),
    properties: { ...properties, ...optional },
  };
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const page = (item: string, total: boolean) =>
  object({
    data: { type: 'array', items: ref(item) },
    next_cursor: { ...strOrNull, description: 'Pass as ?cursor= for the next page; null on the last' },
    ...(total ? { total: { type: 'integer' } } : {}),
  });

const conversationMessage = object({
  wamid: str,
  direction: { type: 'string', enum: ['inbound', 'outbound'] },
  type: strOrNull,
  text: strOrNull,
  media_url: { ...strOrNull, description: "Meta's media id until media capture stores the file" },
  status: strOrNull,
  at: timeOrNull,
});
const conversation = object(
  {
    contact: object({ wa_id: strOrNull, user_id: strOrNull, username: strOrNull, name: strOrNull }),
    phone_number_id: str,
    summary: { ...str, description: 'A plain-words paragraph written from the state (deterministic)' },
    last_user_message: object({ text: strOrNull, type: strOrNull, at: timeOrNull }, true),
    last_business_message: object(
      { text: strOrNull, type: strOrNull, status: strOrNull, at: timeOrNull },
      true,
    ),
    window_open_until: timeOrNull,
    media_url: { ...strOrNull, description: 'Of the latest media message' },
    message_count: object({ inbound: { type: 'integer' }, outbound: { type: 'integer' } }),
    first_at: timeOrNull,
    last_activity_at: time,
    note: strOrNull,
    automation_notes: strOrNull,
    labels: { type: 'array', items: str },
  },
  false,
  {
    recent_messages: {
      type: 'array',
      maxItems: 20,
      items: conversationMessage,
      description: 'Newest first; one conversation only, not in lists',
    },
  },
);
const CONVERSATION_SCHEMAS = {
  Conversation: conversation,
  ConversationPage: page('Conversation', true),
  ConversationPatch: {
    type: 'object',
    additionalProperties: false,
    properties: {
      note: { type: ['string', 'null'], maxLength: 4000 },
      automation_notes: { type: ['string', 'null'], maxLength: 4000 },
      labels: {
        type: 'array',
        maxItems: 50,
        items: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[^,]*$' },
      },
    },
  },
};

export const SCHEMAS = {
  Error: object({
    error: object({
      code: str,
      message: str,
      docs: { ...str, description: 'docs/errors.md#<anchor>' },
    }),
  }),
  Event: object({
    id: str,
    name: { type: 'string', enum: [...EVENT_NAMES] },
    key: { ...str, description: 'Idempotency key' },
    field: { ...str, description: 'Webhook field the event came from' },
    occurred_at: timeOrNull,
    waba_id: str,
    phone_number_id: strOrNull,
    contact: object(
      {
        wa_id: strOrNull,
        user_id: strOrNull,
        parent_user_id: strOrNull,
        username: strOrNull,
        name: strOrNull,
      },
      true,
    ),
    wamid: strOrNull,
    data: {
      type: 'object',
      description:
        'The data of this event name (docs/events.md), keys in snake_case at every depth; objects kept as sent (response, raw, details, calling) keep their keys',
    },
    raw: { description: 'The item exactly as Meta sent it' },
  }),
  EventPage: page('Event', false),
  Message: object(
    {
      wamid: { ...strOrNull, description: 'Null only for a send Meta never accepted (see send)' },
      phone_number_id: str,
      direction: { type: 'string', enum: ['inbound', 'outbound'] },
      type: strOrNull,
      status: strOrNull,
      statuses: { type: 'array', items: object({ status: str, at: time }) },
      failed: { type: 'boolean' },
      errors: {
        type: 'array',
        items: object({
          code: { type: ['integer', 'null'] },
          title: strOrNull,
          message: strOrNull,
          details: strOrNull,
          href: strOrNull,
        }),
      },
      pricing: object(
        { category: strOrNull, type: strOrNull, pricing_model: strOrNull, billable: boolOrNull },
        true,
      ),
      conversation: object({ id: strOrNull, origin: strOrNull, expires_at: timeOrNull }, true),
      biz_opaque_callback_data: strOrNull,
      preview: strOrNull,
      media: object({ id: strOrNull, url: strOrNull, sha256: strOrNull, mime_type: strOrNull }, true),
      context: object(
        {
          id: strOrNull,
          from: strOrNull,
          forwarded: { type: 'boolean' },
          frequently_forwarded: { type: 'boolean' },
        },
        true,
      ),
      contact: object({ wa_id: strOrNull, user_id: strOrNull }),
      occurred_at: timeOrNull,
      send: {
        ...object(
          {
            id: str,
            state: { type: 'string', enum: ['sending', 'accepted', 'failed', 'unknown'] },
            forced: { type: 'boolean' },
            idempotency_key: strOrNull,
            sms_fallback_text: strOrNull,
            http_status: { type: ['integer', 'null'] },
            fbtrace_id: strOrNull,
            meta_error: { type: ['object', 'null'] },
            created_at: time,
            answered_at: timeOrNull,
          },
          true,
        ),
        description: 'The record of a send made through Wharf (POST /api/v1/messages); null otherwise',
      },
      fallback: {
        ...object(
          {
            channel: str,
            to: strOrNull,
            state: {
              type: 'string',
              enum: ['sending', 'retry', 'sent', 'failed', 'unknown', 'skipped', 'cancelled'],
            },
            provider_id: strOrNull,
            at: timeOrNull,
            reason: strOrNull,
          },
          true,
        ),
        description:
          'The SMS sent (or skipped or cancelled, with the reason) in place of this message (docs/actions.md); null when none',
      },
    },
    false,
    {
      wait: { ...object({ status: str, reached: { type: 'boolean' } }), description: 'Only with ?wait=' },
    },
  ),
  Contact: object({
    id: str,
    wa_id: strOrNull,
    user_id: strOrNull,
    parent_user_id: strOrNull,
    username: strOrNull,
    name: strOrNull,
    replaced_by: strOrNull,
    last_inbound_at: timeOrNull,
    window_open_until: timeOrNull,
    window_open: { type: 'boolean' },
    marketing_opt_out: { type: 'boolean' },
    marketing_preference: object(
      { value: { type: 'string', enum: ['stop', 'resume'] }, source: str, at: time },
      true,
    ),
  }),
  Delivery: object({
    id: str,
    received_at: time,
    body_hash: str,
    size: { type: 'integer' },
    secret_index: { type: 'integer' },
    state: { type: 'string', enum: ['pending', 'processing', 'processed', 'invalid'] },
    duplicates: { type: 'integer' },
    processed_at: timeOrNull,
    error: strOrNull,
  }),
  DeliveryPage: page('Delivery', true),
  DeadLetter: object({
    id: str,
    event: object({ id: str, name: str, key: str }),
    target: str,
    state: str,
    attempts: { type: 'integer' },
    last_error: strOrNull,
    dead_at: timeOrNull,
    next_attempt_at: timeOrNull,
    created_at: timeOrNull,
  }),
  DeadLetterPage: page('DeadLetter', true),
  ReplayRequest: {
    type: 'object',
    description: 'Either delivery_id, or from and to',
    additionalProperties: false,
    properties: {
      delivery_id: { type: ['string', 'integer'], pattern: '^\\d{1,18}$' },
      from: { ...time, description: 'ISO 8601 with a zone, e.g. 2026-01-01T00:00:00Z' },
      to: time,
      mode: { type: 'string', enum: ['rederive', 'redeliver'], default: 'redeliver' },
    },
  },
  ReplaySummary: object({
    mode: { type: 'string', enum: ['rederive', 'redeliver'] },
    deliveries: { type: 'integer' },
    outbox_rows: { type: 'integer' },
  }),
  ...DESTINATION_SCHEMAS,
  ...SEND_SCHEMAS,
  ...CONVERSATION_SCHEMAS,
} as const;

export type SchemaName = keyof typeof SCHEMAS;
