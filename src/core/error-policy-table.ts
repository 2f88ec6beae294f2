/** The error-code policy rows (Meta's docs on error codes); looked up by errorPolicy in error-policy.ts. */
import type { ErrorAction, ErrorCategory } from './error-policy.js';

export type ErrorPolicyRow = readonly [
  codes: number | readonly [number, number],
  category: ErrorCategory,
  action: ErrorAction,
  alert: boolean,
  meaning: string,
  extra?: { readonly retryAfterMs?: number; readonly confirmed?: false },
];

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

/**
 * The policy table (Meta's docs on error codes). One row per code or inclusive code range.
 *
 * `fallback` (reviewed for SMS fallback, docs/actions.md): only where WhatsApp cannot reach this
 * person with this message however often it is sent, yet the person is reachable another way:
 * - 131026: the number is not on WhatsApp, has not accepted the terms or runs an old client — another
 *   channel is the only way to reach them now;
 * - 130497: the business may not message users in the recipient's country — WhatsApp will refuse every
 *   send there, SMS still reaches them (the alert flag pages a person about the restriction too);
 * - 131062: this message cannot go to a business-scoped user id — it may go to the phone number, and
 *   an SMS fallback needs that number too (skipped, reason recorded, when only the BSUID is known).
 * Not `fallback`, on purpose: 131047 (window closed: a template reaches them on WhatsApp), 131049
 * (Meta's per-user marketing limit: an SMS would bypass a limit that protects the user), 131050 (the
 * user stopped marketing: never chase them on another channel), 130472 (experiment hold-out), 131021
 * and 131030 (configuration), 131052 (the user's own media could not be downloaded: ask them on
 * WhatsApp to send it again, no message of ours failed), 132xxx (fix the template), and every
 * transient or throttling code (the message will go through later).
 */
export const ERROR_POLICY_TABLE: readonly ErrorPolicyRow[] = [
  [0, 'auth', 'alert', true, 'Could not authenticate the app user (token expired or invalidated)'],
  [
    1,
    'transient',
    'retry',
    true,
    'Invalid request or possible server error: retry once with backoff, then alert',
  ],
  [2, 'transient', 'retry', false, 'Temporary downtime or overload'],
  [3, 'permission', 'alert', true, 'Capability or permission issue'],
  [4, 'throttling', 'retry', false, 'App API-call rate limit reached', { retryAfterMs: MIN }],
  [10, 'permission', 'alert', true, 'Permission not granted or removed'],
  [33, 'account', 'alert', true, 'Business phone number deleted'],
  [100, 'request', 'dont_retry', false, 'Invalid or misspelled parameter'],
  [190, 'auth', 'alert', true, 'Access token expired: refresh it, then retry'],
  [[200, 299], 'permission', 'alert', true, 'Permission error'],
  [368, 'account', 'alert', true, 'WABA restricted or disabled for a policy violation: stop sending'],
  [80007, 'throttling', 'retry', false, 'WABA rate limit'],
  [130403, 'recipient', 'dont_retry', false, 'The business has blocked this user'],
  [130429, 'throttling', 'retry', false, 'Cloud API throughput limit: queue and smooth the send rate'],
  [130472, 'marketing', 'dont_retry', false, 'User is in a marketing-message experiment hold-out'],
  [
    130497,
    'account',
    'fallback',
    true,
    'WABA restricted from messaging users in that country: reach them another way',
  ],
  [
    131000,
    'transient',
    'retry',
    false,
    'Unknown error: retry a limited number of times, alert if persistent',
  ],
  [131005, 'permission', 'alert', true, 'Permission not granted or removed'],
  [131008, 'request', 'dont_retry', false, 'Required parameter missing'],
  [
    131009,
    'request',
    'dont_retry',
    false,
    'Parameter value invalid (MM API ad-sync not ready: retry after 10 min)',
  ],
  [131016, 'transient', 'retry', false, 'Service temporarily unavailable'],
  [131020, 'recipient', 'dont_retry', false, 'Cannot message a single-member group', { confirmed: false }],
  [131021, 'request', 'dont_retry', false, 'Sender and recipient are the same number'],
  [
    131026,
    'recipient',
    'fallback',
    false,
    'Message undeliverable (not on WhatsApp, ToS not accepted, old client)',
  ],
  [
    131030,
    'recipient',
    'dont_retry',
    false,
    'Recipient not in the allowed list (test numbers)',
    { confirmed: false },
  ],
  [131031, 'account', 'alert', true, 'Account locked, policy issue or data mismatch'],
  [131037, 'account', 'alert', true, 'Number has no approved display name'],
  [131042, 'billing', 'alert', true, 'Payment or billing problem: stop paid sends'],
  [131045, 'registration', 'alert', true, 'Phone number registration error'],
  [
    131047,
    'window',
    'send_template',
    false,
    'More than 24 h since the user last wrote: send an approved template',
  ],
  [131048, 'throttling', 'alert', true, 'Spam rate limit after blocks/reports: pause campaigns'],
  [131049, 'marketing', 'dont_retry', false, 'Per-user marketing limit', { retryAfterMs: DAY }],
  [131050, 'marketing', 'suppress', false, 'User stopped marketing messages (until user_preferences resume)'],
  [131051, 'inbound', 'dont_retry', false, 'Unsupported message type'],
  [
    131052,
    'media',
    'dont_retry',
    false,
    "Could not download the user's media (for example over 100 MB): ask them to send it again",
  ],
  [131053, 'media', 'dont_retry', false, 'Could not upload your media (MIME mismatch, unsupported type)'],
  [131055, 'request', 'dont_retry', false, 'MM API: method not allowed for a non-marketing template'],
  [
    131056,
    'throttling',
    'retry',
    false,
    'Too many messages to the same recipient: back off for that recipient',
  ],
  [131057, 'transient', 'retry', false, 'Business account in maintenance mode'],
  [131060, 'inbound', 'dont_retry', false, 'Inbound message currently unavailable: ask the user to resend'],
  [
    131062,
    'recipient',
    'fallback',
    false,
    'BSUID recipients not supported for this message: resend by phone number',
  ],
  [
    131063,
    'marketing',
    'alert',
    true,
    'Marketing templates disabled on Cloud API: use the MM API or re-enable',
  ],
  [131064, 'template', 'fix_template', true, 'Messaging limit hit due to template classification violations'],
  [132000, 'template', 'fix_template', false, 'Template parameter count mismatch'],
  [132001, 'template', 'fix_template', false, 'Template missing in that language or not approved'],
  [132005, 'template', 'fix_template', false, 'Translated text too long'],
  [132007, 'template', 'fix_template', false, 'Template content policy violation'],
  [132008, 'template', 'fix_template', false, 'Template parameter value invalid', { confirmed: false }],
  [132012, 'template', 'fix_template', false, 'Template parameter format mismatch'],
  [132015, 'template', 'fix_template', true, 'Template paused for low quality: switch template'],
  [132016, 'template', 'fix_template', true, 'Template disabled permanently: create a new one'],
  [132018, 'template', 'fix_template', false, 'MM API template validation error'],
  [132068, 'flow', 'alert', true, 'Flow blocked'],
  [132069, 'flow', 'retry', false, 'Flow throttled (10 messages per hour used)', { retryAfterMs: 60 * MIN }],
  [133010, 'registration', 'alert', true, 'Phone number not registered'],
  [133016, 'registration', 'alert', true, 'Too many (de)registration attempts: wait'],
  [134011, 'billing', 'alert', true, 'WhatsApp Payments terms not accepted'],
  [134100, 'marketing', 'dont_retry', false, 'MM API: only marketing templates'],
  [134101, 'template', 'retry', false, 'MM API: template syncing', { retryAfterMs: 10 * MIN }],
  [134102, 'template', 'fix_template', false, 'MM API: template unavailable'],
  [135000, 'request', 'alert', true, 'Unknown error with request parameters'],
  [137000, 'identity', 'dont_retry', false, 'Recipient identity key hash mismatch', { confirmed: false }],
  [[138000, 138999], 'calling', 'dont_retry', false, 'Calling API error', { confirmed: false }],
  [
    [139000, 139004],
    'flow',
    'alert',
    true,
    'Flow create/update/publish/deprecate/delete error',
    { confirmed: false },
  ],
  [
    2593109,
    'history',
    'dont_retry',
    false,
    'History sync turned off by the business: stop waiting for history',
  ],
];
