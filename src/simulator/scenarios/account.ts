import { delivery, entry } from './envelope.js';
import type { Scenario } from './types.js';

/**
 * `phone_number_quality_update` with the older DOWNGRADE event and limits (Meta's docs on `phone_number_quality_update`: current
 * payloads send ONBOARDING/THROUGHPUT_UPGRADE, older ones FLAGGED/DOWNGRADE — receivers must keep it open).
 */
export const phoneNumberQualityDowngrade: Scenario = {
  name: 'phone-number-quality-downgrade',
  description:
    'Business number flagged then downgraded to a lower messaging limit (phone_number_quality_update)',
  build(ctx) {
    const value = (event: string, current: string, old: string) => ({
      display_phone_number: ctx.business.displayPhoneNumber,
      event,
      current_limit: current,
      old_limit: old,
      max_daily_conversations_per_business: current,
    });
    return {
      steps: [
        {
          kind: 'delivery',
          label: 'phone number FLAGGED',
          body: delivery(
            entry(
              ctx.business,
              [{ field: 'phone_number_quality_update', value: value('FLAGGED', 'TIER_10K', 'TIER_10K') }],
              ctx.now,
            ),
          ),
        },
        {
          kind: 'delivery',
          label: 'phone number DOWNGRADE TIER_10K → TIER_2K',
          body: delivery(
            entry(
              ctx.business,
              [{ field: 'phone_number_quality_update', value: value('DOWNGRADE', 'TIER_2K', 'TIER_10K') }],
              ctx.now + 7 * 86400,
            ),
          ),
        },
      ],
      expect: { events: { 'phone_number.quality': 2 } },
    };
  },
};

/** `account_update` ACCOUNT_RESTRICTION (Meta's docs on `account_update`): what you may no longer do, and until when. */
export const accountRestriction: Scenario = {
  name: 'account-restriction',
  description: 'WABA restricted: business-initiated messaging and utility templates blocked for 7 days',
  build(ctx) {
    const until = ctx.now + 7 * 86400;
    const value = {
      event: 'ACCOUNT_RESTRICTION',
      restriction_info: [
        { restriction_type: 'RESTRICTED_BIZ_INITIATED_MESSAGING', expiration: until },
        { restriction_type: 'RESTRICTED_UTILITY_TEMPLATES', expiration: until },
      ],
    };
    return {
      steps: [
        {
          kind: 'delivery',
          label: 'account ACCOUNT_RESTRICTION',
          body: delivery(entry(ctx.business, [{ field: 'account_update', value }], ctx.now)),
        },
      ],
      expect: { events: { 'account.update': 1 } },
    };
  },
};
