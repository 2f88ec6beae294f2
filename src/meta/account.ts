/** WABA-level management fields (Meta's docs on account fields; `account_settings_update`). */
import type { WireTimestamp } from './common.js';

/** `account_update`: `event` plus an event-specific object; all kept open. */
export interface WireAccountUpdateValue {
  event?: string;
  phone_number?: string;
  restriction_info?: { restriction_type?: string; expiration?: WireTimestamp; remediation?: string }[];
  violation_info?: { violation_type?: string };
  waba_info?: {
    waba_id?: string;
    owner_business_id?: string;
    ad_account_linked?: string;
    partner_app_id?: string;
    solution_id?: string;
    solution_partner_business_ids?: string[];
  };
  auth_international_rate_eligibility?: {
    start_time?: WireTimestamp;
    exception_countries?: { country_code?: string; start_time?: WireTimestamp }[];
  };
  country?: string;
  ban_info?: {
    waba_ban_state?: 'DISABLE' | 'REINSTATE' | 'SCHEDULE_FOR_DISABLE' | (string & {});
    waba_ban_date?: string;
  };
  disconnection_info?: { reason?: string; initiated_by?: 'SYSTEM' | 'USER' | (string & {}) };
  partner_client_certification_info?: {
    client_business_id?: string;
    status?: string;
    rejection_reasons?: string[];
  };
  partner_client_certification_needed_info?: { client_business_id?: string };
  volume_tier_info?: {
    tier_update_time?: WireTimestamp;
    pricing_category?: string;
    tier?: string;
    effective_month?: string;
    region?: string;
  };
}

/** `account_alerts` */
export interface WireAccountAlertsValue {
  entity_type?: 'BUSINESS' | 'PHONE_NUMBER' | 'CURRENT_STATUS_ID' | (string & {});
  entity_id?: string;
  alert_info?: {
    alert_severity?: 'CRITICAL' | 'INFORMATIONAL' | 'WARNING' | (string & {});
    alert_status?: 'ACTIVE' | 'NONE' | (string & {});
    alert_type?: string;
    alert_description?: string;
  };
}

/** `account_review_update` */
export interface WireAccountReviewValue {
  decision?: 'APPROVED' | 'REJECTED' | 'PENDING' | 'DEFERRED' | (string & {});
}

/** `business_capability_update`: tiers as strings, but Meta's example sends numbers. */
export interface WireBusinessCapabilityValue {
  max_daily_conversations_per_business?: string | number;
  max_daily_conversation_per_phone?: number | string;
  max_phone_numbers_per_business?: number | string;
  max_phone_numbers_per_waba?: number | string;
}

/** `account_settings_update` (calling settings). */
export interface WireAccountSettingsValue {
  messaging_product?: string;
  timestamp?: WireTimestamp;
  type?: 'PHONE_NUMBER_SETTINGS' | (string & {});
  phone_number_settings?: { phone_number_id?: string; calling?: Record<string, unknown> };
}
