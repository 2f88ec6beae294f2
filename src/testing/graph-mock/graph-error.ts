/**
 * Graph API error bodies as Meta sends them: `{error: {message, type, code, error_subcode?,
 * error_data: {messaging_product, details}, fbtrace_id}}` (Meta's error-codes page; `fbtrace_id` is
 * what Meta support asks for).
 */
import { randomBytes } from 'node:crypto';

export interface GraphErrorSpec {
  readonly httpStatus: number;
  readonly code: number;
  readonly message: string;
  readonly details?: string;
  readonly type?: string;
  readonly subcode?: number;
}

export interface GraphErrorBody {
  readonly error: {
    readonly message: string;
    readonly type: string;
    readonly code: number;
    readonly error_subcode?: number;
    readonly error_data?: { readonly messaging_product: 'whatsapp'; readonly details: string };
    readonly fbtrace_id: string;
  };
}

/** A fresh trace id shaped like Meta's (23 url-safe characters). */
export function fbtraceId(): string {
  return `A${randomBytes(17).toString('base64url').slice(0, 22)}`;
}

export function graphErrorBody(spec: GraphErrorSpec): GraphErrorBody {
  return {
    error: {
      message: spec.message,
      type: spec.type ?? 'OAuthException',
      code: spec.code,
      ...(spec.subcode === undefined ? {} : { error_subcode: spec.subcode }),
      ...(spec.details === undefined
        ? {}
        : { error_data: { messaging_product: 'whatsapp' as const, details: spec.details } }),
      fbtrace_id: fbtraceId(),
    },
  };
}

/** The errors the mock answers by itself, with Meta's codes and wording. */
export const MOCK_ERRORS = {
  invalidToken: {
    httpStatus: 401,
    code: 190,
    message: 'Invalid OAuth access token - Cannot parse access token',
  },
  windowClosed: {
    httpStatus: 400,
    code: 131047,
    message: 'Re-engagement message',
    details:
      'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  },
  rateLimited: {
    httpStatus: 400,
    code: 130429,
    message: 'Rate limit hit',
    details: 'Cloud API message throughput has been reached.',
  },
  pairRateLimited: {
    httpStatus: 400,
    code: 131056,
    message: '(Business Account, Consumer Account) pair rate limit hit',
    details:
      'Too many messages sent from the sender phone number to the same recipient phone number in a short period of time.',
  },
  unknownPath: {
    httpStatus: 400,
    code: 100,
    message:
      'Unsupported post request. Object does not exist, cannot be loaded due to missing permissions, or does not support this operation.',
    type: 'GraphMethodException',
    subcode: 33,
  },
} as const satisfies Record<string, GraphErrorSpec>;

/** Code 100 "Invalid parameter", naming what is wrong as Meta does in `error_data.details`. */
export function invalidParameter(details: string): GraphErrorSpec {
  return { httpStatus: 400, code: 100, message: '(#100) Invalid parameter', details };
}

/** Code 131008 "Required parameter is missing". */
export function missingParameter(details: string): GraphErrorSpec {
  return { httpStatus: 400, code: 131008, message: '(#131008) Required parameter is missing', details };
}
