/** Coexistence contact sync, `field: "smb_app_state_sync"` (Meta's docs on `smb_app_state_sync`). */
import type { WireMessagingValue, WireTimestamp } from './common.js';

export interface WireStateSync {
  type?: 'contact' | (string & {});
  contact?: {
    full_name?: string;
    first_name?: string;
    phone_number?: string;
    user_id?: string;
    parent_user_id?: string;
    username?: string;
  };
  /** `add` also covers edits. */
  action?: 'add' | 'remove' | (string & {});
  metadata?: { timestamp?: WireTimestamp };
}

export interface WireAppStateSyncValue extends WireMessagingValue {
  state_sync?: WireStateSync[];
}
