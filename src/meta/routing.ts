/** Conversation Routing: `messaging_handovers` and `standby` (Meta's docs on `messaging_handovers` and `standby`). */
import type { WireMessagingValue, WireTimestamp } from './common.js';
import type { WireInboundMessage } from './messages.js';
import type { WireStatus } from './statuses.js';
import type { WireEcho } from './echoes.js';

export interface WireHandoverControl {
  previous_owner_app_id?: string;
  previous_owner_app_role?: string;
  previous_owner_role?: string;
  new_owner_role?: string;
  new_owner_app_id?: string;
  metadata?: string;
  conversation_context?: { type?: string; summary?: { text?: string } };
}

/** Note: no `metadata`; the business number is in `recipient`. */
export interface WireHandoverValue {
  messaging_product?: string;
  sender?: { phone_number?: string; user_id?: string };
  recipient?: { phone_number_id?: string; display_phone_number?: string };
  type?: 'control_passed' | 'control_taken' | (string & {});
  timestamp?: WireTimestamp;
  control_passed?: WireHandoverControl;
  control_taken?: WireHandoverControl;
}

/** Copies for an app that observes a thread it does not own (must not reply). */
export interface WireStandbyValue extends WireMessagingValue {
  standby?: {
    contacts?: WireMessagingValue['contacts'];
    messages?: WireInboundMessage[];
    message_echoes?: (WireEcho & { message?: unknown; template?: unknown; flow?: unknown })[];
    statuses?: WireStatus[];
  };
}
