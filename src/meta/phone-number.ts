/** Number-scoped management fields (Meta's docs on phone number fields; `business_username_update`). Routed by `display_phone_number`. */

/** `phone_number_name_update` */
export interface WirePhoneNumberNameValue {
  display_phone_number?: string;
  decision?: 'APPROVED' | 'DEFERRED' | 'PENDING' | 'REJECTED' | (string & {});
  requested_verified_name?: string;
  rejection_reason?: string | null;
}

export type WireTier =
  | 'TIER_50'
  | 'TIER_250'
  | 'TIER_2K'
  | 'TIER_10K'
  | 'TIER_100K'
  | 'TIER_NOT_SET'
  | 'TIER_UNLIMITED'
  | (string & {});

/** `phone_number_quality_update` (throughput / messaging-limit changes). */
export interface WirePhoneNumberQualityValue {
  display_phone_number?: string;
  event?:
    'ONBOARDING' | 'THROUGHPUT_UPGRADE' | 'FLAGGED' | 'UNFLAGGED' | 'UPGRADE' | 'DOWNGRADE' | (string & {});
  current_limit?: WireTier;
  old_limit?: WireTier;
  max_daily_conversations_per_business?: WireTier | number;
}

/** `security` */
export interface WireSecurityValue {
  display_phone_number?: string;
  event?: 'PIN_CHANGED' | 'PIN_RESET_REQUEST' | 'PIN_REQUEST_SUCCESS' | (string & {});
  requester?: string;
}

/** `business_username_update` (also spelled `business_username_updates`). */
export interface WireBusinessUsernameValue {
  display_phone_number?: string;
  username?: string;
  status?: 'approved' | 'deleted' | 'reserved' | (string & {});
}
