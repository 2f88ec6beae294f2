/** Outbound message statuses: `field: "messages"`, `value.statuses[]` (Meta's docs on message statuses). */
import type { WireError, WireTimestamp } from './common.js';

export interface WirePricing {
  /** Deprecated; use type + category. */
  billable?: boolean;
  pricing_model?: 'PMP' | 'CBP' | (string & {});
  type?: 'regular' | 'free_customer_service' | 'free_entry_point' | (string & {});
  /** `authentication-international` (hyphen) here; underscore in conversation.origin — both accepted. */
  category?: string;
}

export interface WireConversation {
  id?: string;
  expiration_timestamp?: WireTimestamp;
  origin?: { type?: string };
}

export interface WireStatus {
  id?: string;
  status?: 'sent' | 'delivered' | 'read' | 'played' | 'failed' | 'deleted' | 'warning' | (string & {});
  timestamp?: WireTimestamp;
  recipient_id?: string;
  recipient_user_id?: string;
  /** Current spelling (since 2026-05-05). */
  recipient_parent_user_id?: string;
  /** Spelling before 2026-05-05; still accepted. */
  parent_recipient_user_id?: string;
  recipient_type?: 'group' | (string & {});
  recipient_participant_id?: string;
  recipient_participant_user_id?: string;
  recipient_participant_parent_user_id?: string;
  recipient_identity_key_hash?: string;
  biz_opaque_callback_data?: string;
  conversation?: WireConversation;
  pricing?: WirePricing;
  errors?: WireError[];
}
