/**
 * What the WhatsApp-aware actions (docs/actions.md) keep in the database: one SMS fallback record
 * per wamid (claimed before the SMS provider is called, so the SMS goes out at most once per wamid
 * ever: duplicate deliveries, replays, several workers and restarts find the claim), and when each
 * alert key was last sent by each alert destination (`dedupe_minutes`). Adapters:
 * src/adapters/sqlite/action-store.ts and src/adapters/postgres/action-store.ts over the shared SQL
 * in src/adapters/action-rows.ts; conformance in test/conformance/action-store.conformance.ts.
 */

/**
 * - sending: claimed, the provider was (or is being) called
 * - retry: the provider refused it in a way worth retrying (429, 5xx): nothing was sent, claimable again
 * - sent: the provider accepted it (`provider_id`)
 * - failed: the provider refused it for good (invalid number…): not tried again
 * - unknown: an attempt ended without the provider's answer (crash, timeout): never re-sent by itself
 * - skipped: not sent, `reason` says why (BSUID only, opted out, no text…)
 * - cancelled: an undelivered timer ended by delivered/read/failed arriving first
 */
export const FALLBACK_STATES = [
  'sending',
  'retry',
  'sent',
  'failed',
  'unknown',
  'skipped',
  'cancelled',
] as const;
export type FallbackState = (typeof FALLBACK_STATES)[number];

export interface FallbackRecord {
  readonly wamid: string;
  readonly destinationId: string;
  /** The event whose row claimed it. */
  readonly eventKey: string | null;
  readonly channel: 'sms';
  /** E.164 number the SMS goes to; null when the contact has no phone number. */
  readonly to: string | null;
  readonly state: FallbackState;
  readonly providerId: string | null;
  readonly reason: string | null;
  /** Calls made to the provider. */
  readonly attempts: number;
  /** When the current claim was taken (epoch ms), null when never claimed. */
  readonly claimedAt: number | null;
  /** When the state last changed (epoch ms). */
  readonly at: number;
}

export interface FallbackClaimInput {
  readonly wamid: string;
  readonly destinationId: string;
  readonly eventKey: string;
  readonly to: string;
  readonly now: number;
}

export type FallbackClaim =
  | { readonly claimed: true; readonly record: FallbackRecord }
  | { readonly claimed: false; readonly record: FallbackRecord };

export interface FallbackSkipInput extends Omit<FallbackClaimInput, 'to'> {
  readonly to: string | null;
  readonly reason: string;
  /** Default `skipped`. */
  readonly state?: 'skipped' | 'cancelled';
}

export interface FallbackSettle {
  readonly state: Exclude<FallbackState, 'sending'>;
  readonly providerId?: string | null;
  readonly reason?: string | null;
  readonly at: number;
}

export type AlertClaim = { readonly claimed: true } | { readonly claimed: false; readonly sentAt: number };

export interface ActionStore {
  /**
   * Takes the wamid's SMS: true when no record existed (a new one in state `sending`) or the record
   * was `retry`; otherwise the record as it is, untouched. Atomic: of two callers at once, one wins.
   */
  claimFallback(input: FallbackClaimInput): Promise<FallbackClaim>;
  /** Ends the claim taken at `claimedAt` (nothing changes when another claim replaced it). */
  settleFallback(wamid: string, claimedAt: number, outcome: FallbackSettle): Promise<boolean>;
  /**
   * Records why no SMS is sent for the wamid (`skipped`, or `cancelled`: an undelivered timer ended by
   * delivered/read), unless a record exists; returns the record that stands.
   */
  skipFallback(input: FallbackSkipInput): Promise<FallbackRecord>;
  fallback(wamid: string): Promise<FallbackRecord | null>;
  /**
   * Takes an alert key for a destination when it was not sent within `windowMs` (or was taken by this
   * same event: a retry of one alert is not a duplicate).
   */
  claimAlert(input: {
    readonly destinationId: string;
    readonly key: string;
    readonly eventKey: string;
    readonly now: number;
    readonly windowMs: number;
  }): Promise<AlertClaim>;
  /** Gives back a claim whose send failed, so the next event with that key is not held back. */
  releaseAlert(destinationId: string, key: string, eventKey: string): Promise<void>;
  close(): Promise<void>;
}
