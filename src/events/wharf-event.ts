/**
 * The contract every part of Wharf shares: one normalized event per item of a delivery
 * (entry × change × item). The event model (parse/normalize), the processor, the state,
 * the API and the handlers all speak this shape. `EventName` and the per-name `data` types
 * come from src/events/event-names.ts and src/events/event-data.ts.
 */
import type { EventName } from './event-names.js';
import type { EventDataMap } from './event-data.js';

/** Who the event is about. Every part may be missing (BSUID-only contacts, usernames, management fields). */
export interface ContactIdentity {
  /** Phone-based WhatsApp id, digits only (`+` stripped). */
  readonly waId?: string;
  /** Business-scoped user id (BSUID), verbatim, e.g. `GB.4829103748291037482`. */
  readonly userId?: string;
  /** Parent BSUID (`parent_user_id`, or the status spellings `parent_recipient_user_id` / `recipient_parent_user_id`). */
  readonly parentUserId?: string;
  readonly username?: string;
  /** Profile name. */
  readonly name?: string;
}

export interface WharfEvent<N extends EventName = EventName> {
  readonly name: N;
  /** Idempotency key (Meta's docs on duplicates); the same item in two deliveries yields the same key. */
  readonly key: string;
  /** Webhook field that produced the event (`messages`, `history`, …), verbatim. */
  readonly field: string;
  /** When it happened per the payload, epoch milliseconds; null when the payload gives no time. */
  readonly occurredAt: number | null;
  /** `entry[].id`: WABA id (business portfolio id for partner_solutions). */
  readonly wabaId: string;
  readonly phoneNumberId?: string;
  readonly displayPhoneNumber?: string;
  readonly contact?: ContactIdentity;
  /** Message id (`wamid.…`) where there is one: the inbound message, the status's message, an echo. */
  readonly wamid?: string;
  readonly data: EventDataMap[N];
  /** The raw item (message, status, value…) exactly as parsed, unknown fields kept. */
  readonly raw: unknown;
}

export type AnyWharfEvent = { [N in EventName]: WharfEvent<N> }[EventName];
