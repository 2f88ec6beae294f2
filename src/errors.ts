/**
 * The one error catalogue: stable codes, HTTP status and a docs anchor (docs/errors.md#<anchor>).
 * Messages never include secrets or request bodies. Errors that are never an HTTP answer (start-up
 * failures, misuse of the library) carry 500: what a server would answer if it met them.
 */
export const ERRORS = {
  CONFIG_INVALID: { status: 500, anchor: 'config-invalid', message: 'Invalid configuration' },
  DATABASE_URL_INVALID: {
    status: 500,
    anchor: 'database-url-invalid',
    message: 'DATABASE_URL is not a database Wharf can open',
  },
  DATABASE_UNREACHABLE: {
    status: 500,
    anchor: 'database-unreachable',
    message: 'The database of DATABASE_URL cannot be reached',
  },
  DATABASE_REFUSED: {
    status: 500,
    anchor: 'database-refused',
    message: 'The database server of DATABASE_URL refused the connection',
  },
  PORT_IN_USE: { status: 500, anchor: 'port-in-use', message: 'The listen port (PORT) is in use' },
  HOST_UNAVAILABLE: {
    status: 500,
    anchor: 'host-unavailable',
    message: 'The listen address (HOST) cannot be used',
  },
  HANDLER_INVALID: { status: 500, anchor: 'handler-invalid', message: 'Invalid handler registration' },
  HANDLER_TOO_LATE: { status: 500, anchor: 'handler-too-late', message: 'A handler was registered too late' },
  ALREADY_LISTENING: {
    status: 500,
    anchor: 'already-listening',
    message: 'listen() was already called on this Wharf',
  },
  NOT_LISTENING: {
    status: 500,
    anchor: 'not-listening',
    message: 'This needs listen() to have been called on this Wharf',
  },
  SIGNATURE_MISSING: { status: 401, anchor: 'signature-missing', message: 'Missing X-Hub-Signature-256' },
  SIGNATURE_INVALID: { status: 401, anchor: 'signature-invalid', message: 'Invalid signature' },
  NO_APP_SECRET: { status: 401, anchor: 'no-app-secret', message: 'No app secret configured' },
  BODY_TOO_LARGE: { status: 413, anchor: 'body-too-large', message: 'Request body too large' },
  STORAGE_UNAVAILABLE: {
    status: 503,
    anchor: 'storage-unavailable',
    message: 'Storage unavailable, retry later',
  },
  OVERLOADED: { status: 503, anchor: 'overloaded', message: 'Overloaded, retry later' },
  SHUTTING_DOWN: { status: 503, anchor: 'shutting-down', message: 'Shutting down, retry later' },
  SOURCE_NOT_ALLOWED: {
    status: 403,
    anchor: 'source-not-allowed',
    message: 'This source address may not deliver webhooks here',
  },
  SIGNATURE_RATE_LIMITED: {
    status: 429,
    anchor: 'signature-rate-limited',
    message: 'Too many requests with a bad signature from this source, retry later',
  },
  HANDSHAKE_REFUSED: { status: 403, anchor: 'handshake-refused', message: 'Verification refused' },
  UNAUTHORIZED: {
    status: 401,
    anchor: 'api-unauthorized',
    message: 'Missing or wrong bearer token (set WHARF_API_TOKEN and send Authorization: Bearer <token>)',
  },
  API_DISABLED: {
    status: 401,
    anchor: 'api-disabled',
    message: 'The API is disabled until WHARF_API_TOKEN is set',
  },
  NOT_FOUND: { status: 404, anchor: 'not-found', message: 'Not found' },
  METHOD_NOT_ALLOWED: { status: 405, anchor: 'method-not-allowed', message: 'Method not allowed' },
  BAD_REQUEST: { status: 400, anchor: 'bad-request', message: 'Bad request' },
  UNKNOWN_EVENT_PATTERN: {
    status: 400,
    anchor: 'unknown-event-pattern',
    message: 'Unknown event name or prefix',
  },
  NOT_A_DEAD_LETTER: {
    status: 409,
    anchor: 'not-a-dead-letter',
    message: 'Only a dead letter can be replayed (this hand-off is pending or delivered)',
  },
  DESTINATION_INVALID: {
    status: 422,
    anchor: 'destination-invalid',
    message: 'The destination is not valid',
  },
  DESTINATION_NAME_TAKEN: {
    status: 409,
    anchor: 'destination-name-taken',
    message: 'Another destination has this name',
  },
  CONVERSATION_FIELD_INVALID: {
    status: 422,
    anchor: 'conversation-field-invalid',
    message: 'A conversation field is invalid',
  },
  DESTINATION_ADDRESS_FORBIDDEN: {
    status: 422,
    anchor: 'destination-address-forbidden',
    message: 'The destination address is not allowed',
  },
  DESTINATION_SETTINGS_INVALID: {
    status: 422,
    anchor: 'destination-settings-invalid',
    message: 'The destination settings are invalid',
  },
  DESTINATION_KIND_UNAVAILABLE: {
    status: 422,
    anchor: 'destination-kind-unavailable',
    message: 'This destination kind cannot be opened by this version of Wharf',
  },
  SEND_INVALID: { status: 422, anchor: 'send-invalid', message: 'The message to send is invalid' },
  WINDOW_CLOSED: {
    status: 409,
    anchor: 'window-closed',
    message: "The contact's 24-hour customer service window is closed",
  },
  MARKETING_OPT_OUT: {
    status: 409,
    anchor: 'marketing-opt-out',
    message: 'The contact stopped marketing messages',
  },
  TEMPLATE_NOT_APPROVED: {
    status: 409,
    anchor: 'template-not-approved',
    message: 'The template is not approved',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    anchor: 'idempotency-key-reused',
    message: 'This Idempotency-Key was already used for a different message',
  },
  SEND_RATE_LIMITED: {
    status: 429,
    anchor: 'send-rate-limited',
    message: 'Too many sends queued for this phone number, retry later',
  },
  SEND_NOT_CONFIGURED: {
    status: 503,
    anchor: 'send-not-configured',
    message: 'Sending needs WHATSAPP_ACCESS_TOKEN',
  },
  META_ERROR: { status: 502, anchor: 'meta-error', message: 'Meta refused the message' },
  META_UNREACHABLE: {
    status: 502,
    anchor: 'meta-unreachable',
    message: 'The Graph API could not be reached; nothing was sent',
  },
  SEND_OUTCOME_UNKNOWN: {
    status: 504,
    anchor: 'send-outcome-unknown',
    message: 'Meta did not answer: the message may or may not have been sent',
  },
  INTERNAL: { status: 500, anchor: 'internal', message: 'Internal error' },
} as const satisfies Record<string, { status: number; anchor: string; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export class WharfError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly docs: string;
  constructor(code: ErrorCode, detail?: string, options?: { cause?: unknown }) {
    const entry = ERRORS[code];
    super(detail ? `${entry.message}: ${detail}` : entry.message, options);
    this.name = 'WharfError';
    this.code = code;
    this.status = entry.status;
    this.docs = `docs/errors.md#${entry.anchor}`;
  }
  toJSON(): { error: { code: ErrorCode; message: string; docs: string } } {
    return { error: { code: this.code, message: this.message, docs: this.docs } };
  }
}
