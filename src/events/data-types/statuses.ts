/** Data of `status.*` events (Meta's docs on message statuses). */
import type { WaErrorInfo } from './common.js';

export interface PricingInfo {
  readonly billable?: boolean;
  readonly pricingModel?: string;
  readonly type?: string;
  /** Normalized to underscores (`authentication_international`), whatever spelling Meta used. */
  readonly category?: string;
}

export interface ConversationInfo {
  readonly id?: string;
  readonly expiresAt: number | null;
  /** Normalized to underscores. */
  readonly originType?: string;
}

export interface GroupParticipantRef {
  readonly id?: string;
  readonly userId?: string;
  readonly parentUserId?: string;
}

export interface StatusData<S extends string = string> {
  /** `statuses[].status` verbatim. */
  readonly status: S;
  readonly recipientId?: string;
  readonly recipientUserId?: string;
  /** `recipient_parent_user_id` or the older spelling `parent_recipient_user_id`. */
  readonly recipientParentUserId?: string;
  readonly recipientType?: string;
  /** Group sends: which participant this status is about. */
  readonly participant?: GroupParticipantRef;
  readonly recipientIdentityKeyHash?: string;
  readonly bizOpaqueCallbackData?: string;
  readonly conversation?: ConversationInfo;
  readonly pricing?: PricingInfo;
  readonly errors: readonly WaErrorInfo[];
}

export interface UnknownStatusData extends StatusData {
  readonly reason: string;
}
