/** Groups API fields `group_lifecycle_update`, `group_participants_update`, `group_settings_update`, `group_status_update` (Meta's docs on Groups API fields). */
import type { WireError, WireMessagingValue, WireTimestamp } from './common.js';

export interface WireGroupParticipant {
  input?: string;
  wa_id?: string;
  user_id?: string;
  parent_user_id?: string;
  username?: string;
  errors?: WireError[];
}

interface WireGroupSetting {
  text?: string;
  mime_type?: string;
  sha256?: string;
  update_successful?: boolean;
  errors?: WireError[];
}

export interface WireGroupItem {
  type?:
    | 'group_create'
    | 'group_delete'
    | 'group_participants_add'
    | 'group_participants_remove'
    | 'group_add_participants'
    | 'group_remove_participants'
    | 'group_join_request_created'
    | 'group_join_request_revoked'
    | 'group_settings_update'
    | 'group_suspend'
    | 'group_suspend_cleared'
    | (string & {});
  timestamp?: WireTimestamp;
  group_id?: string;
  request_id?: string;
  errors?: WireError[];
  subject?: string;
  description?: string;
  invite_link?: string;
  join_approval_mode?: string;
  added_participants?: WireGroupParticipant[];
  removed_participants?: WireGroupParticipant[];
  failed_participants?: WireGroupParticipant[];
  reason?: string;
  initiated_by?: 'business' | 'participant' | (string & {});
  join_request_id?: string;
  group_subject?: WireGroupSetting;
  group_description?: WireGroupSetting;
  profile_picture?: WireGroupSetting;
}

export interface WireGroupsValue extends WireMessagingValue {
  groups?: WireGroupItem[];
}
