/** User-scoped fields (Meta's docs on `user_preferences`; `user_id_update`). */
import type { WireMessagingValue, WireTimestamp } from './common.js';

/** one `user_preferences[]` item. `timestamp` is an integer here. */
export interface WireUserPreference {
  wa_id?: string;
  user_id?: string;
  parent_user_id?: string;
  detail?: string;
  category?: 'marketing_messages' | (string & {});
  value?: 'stop' | 'resume' | (string & {});
  timestamp?: WireTimestamp;
}

export interface WireUserPreferencesValue extends WireMessagingValue {
  user_preferences?: WireUserPreference[];
}

/** one `user_id_update[]` item. */
export interface WireUserIdUpdate {
  wa_id?: string;
  detail?: string;
  user_id?: { previous?: string; current?: string };
  parent_user_id?: { previous?: string; current?: string };
  timestamp?: WireTimestamp;
}

export interface WireUserIdUpdateValue extends WireMessagingValue {
  user_id_update?: WireUserIdUpdate[];
}
