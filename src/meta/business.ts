/** Commerce and partner fields (Meta's docs on commerce and partner fields). */
import type { WireMessagingValue, WireTimestamp } from './common.js';

/** one `automatic_events[]` item (CTWA lead/purchase). */
export interface WireAutomaticEvent {
  id?: string;
  event_name?: 'LeadSubmitted' | 'Purchase' | (string & {});
  timestamp?: WireTimestamp;
  ctwa_clid?: string;
  /** `value` is amount × 1000. */
  custom_data?: { currency?: string; value?: number | string };
}

export interface WireAutomaticEventsValue extends WireMessagingValue {
  automatic_events?: WireAutomaticEvent[];
}

/** `partner_solutions`; entry.id is a business portfolio id here. */
export interface WirePartnerSolutionsValue {
  event?: 'SOLUTION_CREATED' | 'SOLUTION_UPDATED' | (string & {});
  solution_id?: string;
  solution_status?: string;
}

/** `payment_configuration_update` (statuses are title case with spaces). */
export interface WirePaymentConfigurationValue {
  configuration_name?: string;
  provider_name?: string;
  provider_mid?: string;
  status?: 'Active' | 'Needs Connecting' | 'Needs Testing' | (string & {});
  created_timestamp?: WireTimestamp;
  updated_timestamp?: WireTimestamp;
}
