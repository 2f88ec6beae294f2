/** Calling API, `field: "calls"` (Meta's docs on `calls`). */
import type { WireMessagingValue, WireTimestamp } from './common.js';

export interface WireCall {
  /** `wacid.…` */
  id?: string;
  from?: string;
  to?: string;
  from_user_id?: string;
  to_user_id?: string;
  from_parent_user_id?: string;
  to_parent_user_id?: string;
  timestamp?: WireTimestamp;
  direction?: 'USER_INITIATED' | 'BUSINESS_INITIATED' | (string & {});
  event?: 'connect' | 'terminate' | (string & {});
  session?: { sdp_type?: string; sdp?: string };
  status?: 'COMPLETED' | 'FAILED' | (string & {});
  start_time?: WireTimestamp;
  end_time?: WireTimestamp;
  duration?: number | string;
  biz_opaque_callback_data?: string;
}

/** Business-initiated call progress. */
export interface WireCallStatus {
  id?: string;
  type?: 'call' | (string & {});
  status?: 'RINGING' | 'ACCEPTED' | 'REJECTED' | (string & {});
  timestamp?: WireTimestamp;
  recipient_id?: string;
  recipient_user_id?: string;
  biz_opaque_callback_data?: string;
}

export interface WireCallsValue extends WireMessagingValue {
  calls?: WireCall[];
  statuses?: WireCallStatus[];
}
