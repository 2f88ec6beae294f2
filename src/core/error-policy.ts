/**
 * WhatsApp error codes (Meta's docs on error codes) → category and recommended automated action, as data.
 * "retry" means sending a *new* message later (new wamid). Codes marked `confirmed: false` come
 * from SDK sources only (pywa) and are not on Meta's error-code page.
 */
import { ERROR_POLICY_TABLE, type ErrorPolicyRow as Row } from './error-policy-table.js';

export { ERROR_POLICY_TABLE };

/**
 * - retry: try again later with backoff (`retryAfterMs` when a minimum wait is known)
 * - dont_retry: the same send will fail again; nothing to page about
 * - fallback: reach the user another way (SMS/email, or another address such as the phone number)
 * - send_template: the 24 h window is closed; only an approved template can go out (131047)
 * - suppress: stop this kind of message to this user/country until told otherwise
 * - alert: a human must fix configuration, account, billing or policy
 * - fix_template: the template (or its parameters) must be changed
 */
export const ERROR_ACTIONS = [
  'retry',
  'dont_retry',
  'fallback',
  'send_template',
  'suppress',
  'alert',
  'fix_template',
] as const;
export type ErrorAction = (typeof ERROR_ACTIONS)[number];

export const ERROR_CATEGORIES = [
  'auth',
  'permission',
  'throttling',
  'transient',
  'request',
  'recipient',
  'window',
  'marketing',
  'template',
  'media',
  'account',
  'billing',
  'registration',
  'flow',
  'identity',
  'calling',
  'inbound',
  'history',
  'unknown',
] as const;
export type ErrorCategory = (typeof ERROR_CATEGORIES)[number];

export interface ErrorPolicy {
  readonly code: number | null;
  readonly category: ErrorCategory;
  readonly action: ErrorAction;
  /** Page a human as well (independently of the action). */
  readonly alert: boolean;
  /** Minimum wait before a retry makes sense, when known. */
  readonly retryAfterMs?: number;
  readonly meaning: string;
  /** False for codes only seen in third-party SDK source. */
  readonly confirmed: boolean;
}

function toPolicy(code: number, row: Row): ErrorPolicy {
  const [, category, action, alert, meaning, extra] = row;
  return {
    code,
    category,
    action,
    alert,
    meaning,
    retryAfterMs: extra?.retryAfterMs,
    confirmed: extra?.confirmed ?? true,
  };
}

const EXACT = new Map<number, Row>();
const RANGES: Row[] = [];
for (const row of ERROR_POLICY_TABLE) {
  if (typeof row[0] === 'number') EXACT.set(row[0], row);
  else RANGES.push(row);
}

/** An unlisted code: do not retry blindly, tell a human. */
function unknownPolicy(code: number | null): ErrorPolicy {
  return {
    code,
    category: 'unknown',
    action: 'alert',
    alert: true,
    meaning: 'Error code not in the policy table',
    confirmed: false,
  };
}

/** Policy for a code as found in webhooks (a number, or a numeric string on some Meta pages). */
export function errorPolicy(code: number | string | null | undefined): ErrorPolicy {
  const n = typeof code === 'string' && code.trim() !== '' ? Number(code) : code;
  if (typeof n !== 'number' || !Number.isInteger(n)) return unknownPolicy(null);
  const exact = EXACT.get(n);
  if (exact) return toPolicy(n, exact);
  for (const row of RANGES) {
    const [from, to] = row[0] as readonly [number, number];
    if (n >= from && n <= to) return toPolicy(n, row);
  }
  return unknownPolicy(n);
}
