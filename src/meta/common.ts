/**
 * Wire types shared by every webhook field (Meta's docs on the webhook envelope; the `messages` field and its error object; the wire types).
 * Every key is optional: Meta adds and drops keys without versioning the webhook, so the
 * normalizer reads these through `Loose<T>` (names checked, values narrowed at runtime).
 */

/** Unix seconds; a string inside messages/statuses, a number on entry.time and most management fields. */
export type WireTimestamp = string | number;

/** `T` with the same key names but every value `unknown`: the shape the normalizer actually receives. */
export type Loose<T> = { readonly [K in keyof T]?: unknown };

export interface WireEnvelope {
  object?: 'whatsapp_business_account' | (string & {});
  entry?: WireEntry[];
}

export interface WireEntry {
  /** WABA id (business portfolio id for partner_solutions). */
  id?: string;
  time?: WireTimestamp;
  changes?: WireChange[];
}

export interface WireChange {
  field?: string;
  value?: unknown;
}

export interface WireMetadata {
  display_phone_number?: string;
  phone_number_id?: string;
}

/** `value.contacts[]` (Meta's docs on the contacts object). Since 2026 `wa_id` may be missing and `user_id` (BSUID) present. */
export interface WireContact {
  profile?: { name?: string; username?: string };
  wa_id?: string;
  user_id?: string;
  parent_user_id?: string;
  identity_key_hash?: string;
}

/** The error object, same shape in value.errors, messages[].errors and statuses[].errors (Meta's docs on the `messages` field and its error object). */
export interface WireError {
  /** Some Meta pages print the code as a string; both accepted. */
  code?: number | string;
  title?: string;
  message?: string;
  error_data?: { details?: string };
  href?: string;
}

/** Keys shared by the messages family of values (Meta's docs on the messages-family value). */
export interface WireMessagingValue {
  messaging_product?: 'whatsapp' | (string & {});
  metadata?: WireMetadata;
  contacts?: WireContact[];
  errors?: WireError[];
}
