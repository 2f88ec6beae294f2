/**
 * An SMS provider as the `sms` destination kind uses it (docs/actions.md): one call sends one SMS.
 * Adapters: src/adapters/destinations/sms-twilio.ts (Twilio's Messages API) and sms-http.ts (a JSON
 * body template for any other provider). The at-most-once bookkeeping is not theirs: the app claims
 * the wamid before calling (src/app/sms-fallback-transport.ts).
 */

export interface SmsRequest {
  /** E.164, e.g. `+447700900123`. */
  readonly to: string;
  readonly text: string;
  /** The WhatsApp message it stands in for. */
  readonly wamid: string;
}

/**
 * - accepted: the provider took it (`providerId`: its message id, e.g. Twilio's `SM…` sid)
 * - refused: the provider answered no; nothing was sent. `retry`: worth trying again (429, 5xx,
 *   credentials, connection refused); otherwise final (invalid number, recipient unsubscribed…)
 * - unknown: no answer after the request may have left (timeout, connection reset): it may have been sent
 */
export type SmsOutcome =
  | { readonly kind: 'accepted'; readonly providerId: string | null }
  | { readonly kind: 'refused'; readonly retry: boolean; readonly retryAfterMs?: number }
  | { readonly kind: 'unknown' };

export interface SmsResult {
  readonly outcome: SmsOutcome;
  /** HTTP status, or null without an answer. */
  readonly status: number | null;
  readonly durationMs: number;
  /** The first bytes of the provider's answer (≤ 512 characters), or null. */
  readonly responseExcerpt: string | null;
  /** Why it was not accepted, in plain words (the provider's own error mapped), never a secret. */
  readonly error: string | null;
}

export interface SmsProvider {
  /** Never throws: every failure is a result. */
  send(sms: SmsRequest, signal: AbortSignal): Promise<SmsResult>;
  close(): Promise<void>;
}
