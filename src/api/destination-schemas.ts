/** JSON Schemas of the destination routes (spread into SCHEMAS of openapi-schemas.ts). */
import { DESTINATION_KINDS } from '../core/destinations/destination.js';

const str = { type: 'string' };
const strOrNull = { type: ['string', 'null'] };
const intOrNull = { type: ['integer', 'null'] };
const time = { type: 'string', format: 'date-time' };
const strings = { type: 'array', items: str };

const filter = {
  type: 'object',
  additionalProperties: false,
  properties: {
    events: { ...strings, description: 'Event names or prefixes ending in "." (default: all but wharf.*)' },
    phone_number_ids: strings,
    waba_ids: strings,
    error_codes: { type: 'array', items: { type: 'integer' } },
    error_actions: { ...strings, description: 'Actions of the error policy, e.g. fallback' },
  },
};

const own = {
  name: str,
  kind: { type: 'string', enum: [...DESTINATION_KINDS] },
  enabled: { type: 'boolean' },
  filter,
  format: {
    type: 'string',
    enum: ['event', 'meta', 'conversation'],
    default: 'event',
    description:
      'conversation: the flat conversation body (docs/destinations.md#formats), posted on inbound messages (default filter message.)',
  },
  timeout_ms: { type: 'integer', minimum: 1, maximum: 300000, default: 10000 },
  max_in_flight: { type: 'integer', minimum: 1, maximum: 1000, default: 10 },
  rate_limit_per_second: { type: ['number', 'null'], exclusiveMinimum: 0 },
  ordering: {
    type: 'string',
    enum: ['none', 'contact'],
    default: 'none',
    description: 'contact for format conversation (its default; none is refused there)',
  },
  batch_window_ms: {
    type: 'integer',
    minimum: 0,
    maximum: 600000,
    default: 0,
    description:
      "format conversation: a contact's messages within this many ms of the first are posted as one call",
  },
  transform: {
    ...strOrNull,
    description:
      'JSONata expression on the formatted payload whose result is the body sent (not for mysql/postgres); 422 when it does not compile',
  },
};

const destination = {
  type: 'object',
  description:
    'Kind settings (url, headers, redirect_means_delivered, subject, exchange, routing_key, stream, table, …) sit beside these fields',
  required: [...Object.keys(own), 'id', 'created_at', 'updated_at', 'disabled_reason'],
  properties: { id: str, ...own, created_at: time, updated_at: time, disabled_reason: strOrNull },
  additionalProperties: true,
};

export const DESTINATION_SCHEMAS = {
  Destination: destination,
  DestinationCreated: {
    ...destination,
    required: [...destination.required, 'secret'],
    properties: {
      ...destination.properties,
      secret: { ...str, description: 'whsec_…, shown only here and on rotate' },
    },
  },
  DestinationList: {
    type: 'object',
    required: ['data'],
    properties: { data: { type: 'array', items: destination } },
  },
  DestinationInput: {
    type: 'object',
    description: 'Own fields below; any other key is a setting of the kind (url, headers, …)',
    properties: own,
    additionalProperties: true,
  },
  DestinationTestResult: {
    type: 'object',
    required: ['ok', 'status', 'duration_ms', 'response_excerpt', 'error'],
    properties: {
      ok: { type: 'boolean' },
      status: intOrNull,
      duration_ms: { type: 'integer' },
      response_excerpt: strOrNull,
      error: strOrNull,
    },
  },
  RotateSecretRequest: {
    type: 'object',
    properties: { grace_hours: { type: 'number', minimum: 0, maximum: 720, default: 24 } },
  },
  RotatedSecret: {
    type: 'object',
    required: ['secret', 'previous_valid_until'],
    properties: { secret: str, previous_valid_until: time },
  },
  DestinationAttemptPage: {
    type: 'object',
    required: ['data', 'next_cursor'],
    properties: {
      data: {
        type: 'array',
        items: {
          type: 'object',
          required: [
            'id',
            'event_id',
            'event_name',
            'attempt',
            'ok',
            'status',
            'duration_ms',
            'error',
            'response_excerpt',
            'body_excerpt',
            'at',
          ],
          properties: {
            id: str,
            event_id: strOrNull,
            event_name: str,
            attempt: { type: 'integer' },
            ok: { type: 'boolean' },
            status: intOrNull,
            duration_ms: { type: 'integer' },
            error: strOrNull,
            response_excerpt: strOrNull,
            body_excerpt: strOrNull,
            at: time,
          },
        },
      },
      next_cursor: strOrNull,
    },
  },
  DestinationReplayRequest: {
    type: 'object',
    required: ['from', 'to'],
    properties: { from: time, to: time, failed_only: { type: 'boolean', default: false } },
  },
  DestinationReplaySummary: {
    type: 'object',
    required: ['queued'],
    properties: { queued: { type: 'integer', description: 'Hand-offs queued again' } },
  },
} as const;
