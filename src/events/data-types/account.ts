/** Data of account-level events (Meta's docs on account and number fields; `business_username_update`; `account_settings_update`). */

export interface AccountUpdateData {
  /** ACCOUNT_RESTRICTION, DISABLED_UPDATE, PARTNER_ADDED, VOLUME_BASED_PRICING_TIER_UPDATE, … */
  readonly event: string;
  readonly phoneNumber?: string;
  readonly restrictions: readonly {
    readonly type?: string;
    readonly expiresAt: number | null;
    readonly remediation?: string;
  }[];
  readonly violationType?: string;
  readonly banState?: string;
  readonly banDate?: string;
  readonly country?: string;
  readonly wabaInfo?: {
    readonly wabaId?: string;
    readonly ownerBusinessId?: string;
    readonly partnerAppId?: string;
    readonly solutionId?: string;
  };
  readonly disconnection?: { readonly reason?: string; readonly initiatedBy?: string };
  readonly volumeTier?: {
    readonly updatedAt: number | null;
    readonly pricingCategory?: string;
    readonly tier?: string;
    readonly effectiveMonth?: string;
    readonly region?: string;
  };
  readonly certification?: {
    readonly clientBusinessId?: string;
    readonly status?: string;
    readonly rejectionReasons: readonly string[];
  };
  /** The event-specific object(s) as sent, for events not modelled above. */
  readonly details: Readonly<Record<string, unknown>>;
}

export interface AccountAlertData {
  readonly entityType?: string;
  readonly entityId?: string;
  readonly severity?: string;
  readonly status?: string;
  readonly alertType?: string;
  readonly description?: string;
}

export interface AccountReviewData {
  readonly decision?: string;
}

export interface AccountSettingsData {
  readonly settingsType?: string;
  readonly phoneNumberId?: string;
  readonly calling?: Readonly<Record<string, unknown>>;
}

export interface BusinessCapabilityData {
  /** A tier string (`TIER_10K`) or a number, as sent. */
  readonly maxDailyConversationsPerBusiness?: string | number;
  readonly maxDailyConversationPerPhone?: number;
  readonly maxPhoneNumbersPerBusiness?: number;
  readonly maxPhoneNumbersPerWaba?: number;
}

export interface BusinessUsernameData {
  readonly displayPhoneNumber?: string;
  readonly username?: string;
  /** approved, deleted, reserved */
  readonly status?: string;
}

export interface PhoneNumberNameData {
  readonly displayPhoneNumber?: string;
  readonly decision?: string;
  readonly requestedVerifiedName?: string;
  readonly rejectionReason?: string | null;
}

export interface PhoneNumberQualityData {
  readonly displayPhoneNumber?: string;
  readonly event?: string;
  readonly currentLimit?: string;
  readonly oldLimit?: string;
  readonly maxDailyConversationsPerBusiness?: string | number;
}

export interface SecurityData {
  readonly displayPhoneNumber?: string;
  readonly event?: string;
  readonly requester?: string;
}
