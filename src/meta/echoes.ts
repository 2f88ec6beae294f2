/** Coexistence echoes, `field: "smb_message_echoes"` (Meta's docs on `smb_message_echoes`). */
import type { WireError, WireMessagingValue, WireTimestamp } from './common.js';
import type { WireMessageContent } from './messages.js';

export interface WireEcho extends WireMessageContent {
  id?: string;
  timestamp?: WireTimestamp;
  /** Business number. */
  from?: string;
  to?: string;
  to_user_id?: string;
  to_parent_user_id?: string;
  from_user_id?: string;
  errors?: WireError[];
}

export interface WireEchoesValue extends WireMessagingValue {
  message_echoes?: WireEcho[];
}
