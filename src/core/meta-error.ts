/**
 * Meta's Graph API error body (`{error: {message, type, code, error_subcode, error_data: {details},
 * fbtrace_id}}`) taken apart, tolerant of missing pieces, and mapped through the error policy.
 * Meta's error page: build logic on `code` and `error_data.details`; titles are being deprecated.
 */
import { errorPolicy, type ErrorAction, type ErrorCategory } from './error-policy.js';

export interface MetaError {
  readonly code: number | null;
  readonly subcode: number | null;
  /** Meta's `message` (the title); kept for people, never for logic. */
  readonly title: string;
  /** `error_data.details`, the part Meta says to read. */
  readonly details: string | null;
  readonly type: string | null;
  readonly fbtraceId: string | null;
  readonly category: ErrorCategory;
  readonly action: ErrorAction;
  /** Minimum wait before a retry, when the policy knows one. */
  readonly retryAfterMs?: number;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const int = (v: unknown): number | null => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) ? n : null;
};

/** The Meta error in a Graph answer body, or null when the body holds none. */
export function metaErrorFromBody(body: unknown, headerTraceId?: string | null): MetaError | null {
  const error = (body as { error?: unknown } | null | undefined)?.error;
  if (typeof error !== 'object' || error === null) return null;
  const e = error as Record<string, unknown>;
  const data = (typeof e.error_data === 'object' && e.error_data !== null ? e.error_data : {}) as Record<
    string,
    unknown
  >;
  const code = int(e.code);
  const policy = errorPolicy(code);
  return {
    code,
    subcode: int(e.error_subcode),
    title: str(e.error_user_title) ?? str(e.message) ?? 'Graph API error',
    details: str(data.details) ?? str(e.error_user_msg),
    type: str(e.type),
    fbtraceId: str(e.fbtrace_id) ?? headerTraceId ?? null,
    category: policy.category,
    action: policy.action,
    ...(policy.retryAfterMs === undefined ? {} : { retryAfterMs: policy.retryAfterMs }),
  };
}

/** `meta_error` of the API answer (docs/sending.md): `{code, title, details, fbtrace_id}` plus the policy. */
export function metaErrorJson(e: MetaError): Record<string, unknown> {
  return {
    code: e.code,
    title: e.title,
    details: e.details,
    fbtrace_id: e.fbtraceId,
    ...(e.subcode === null ? {} : { error_subcode: e.subcode }),
    category: e.category,
    action: e.action,
  };
}
