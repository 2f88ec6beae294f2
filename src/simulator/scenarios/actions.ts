/**
 * Scenarios for the WhatsApp-aware actions (docs/actions.md): what an `sms` destination acts on. The
 * alerts have theirs already: template-paused-disabled-reinstated, template-quality-downgrade,
 * phone-number-quality-downgrade and account-restriction.
 */
import { delivery, entry, messagesChange } from './envelope.js';
import { statusDelivery, statusItem } from './statuses.js';
import type { Scenario } from './types.js';

/**
 * A message that cannot reach the person on WhatsApp (131026: the error policy says `fallback`),
 * delivered three times as Meta retries; and the same failure for a person known only by a BSUID.
 * With an `sms` destination: exactly one SMS to Ana's number, and Lena's skipped (no phone number).
 */
export const smsFallback: Scenario = {
  name: 'sms-fallback',
  description:
    'A 131026 failure delivered three times (one SMS with an sms destination) and one to a BSUID-only person (skipped, no number)',
  build(ctx) {
    const ana = ctx.ids.wamid(ctx.ana.waId ?? '');
    const lena = ctx.ids.wamid(ctx.lena.userId);
    return {
      steps: [
        {
          kind: 'delivery',
          label: 'status failed 131026 (×3, Meta retrying)',
          body: statusDelivery(
            ctx,
            ctx.ana,
            statusItem(ctx, ana, ctx.ana, 'failed', 0, { errorCode: 131026 }),
          ),
          times: 3,
        },
        {
          kind: 'delivery',
          label: 'status failed 131026 to a BSUID-only person',
          body: statusDelivery(
            ctx,
            ctx.lena,
            statusItem(ctx, lena, ctx.lena, 'failed', 1, { errorCode: 131026 }),
          ),
        },
      ],
      expect: { events: { 'status.failed': 2 }, messageStatus: { [ana]: 'failed', [lena]: 'failed' } },
    };
  },
};

/**
 * Two one-time codes: Meta reports the first `sent` and nothing more (the phone is off), the second
 * `sent` then `delivered`. With an `sms` destination with `undelivered_after_seconds`, a code sent
 * through Wharf with `sms_fallback_text` gets its SMS once the time runs out; the delivered one none.
 * With `--wamid --to --phone-number-id` (a code really sent through Wharf), that one is the lost code.
 */
export const otpUndelivered: Scenario = {
  name: 'otp-undelivered',
  description: 'Two one-time codes: one only sent (never delivered), one sent then delivered',
  build(ctx) {
    const lost = ctx.sent?.wamid ?? ctx.ids.wamid(ctx.ana.waId ?? '');
    const arrived = ctx.ids.wamid(ctx.ben.waId ?? '');
    const opts = { pricing: 'authentication' as const, callbackData: 'otp' };
    const sent = ctx.sent;
    const business =
      sent === undefined || sent.phoneNumberId === ctx.business.phoneNumberId
        ? ctx.business
        : { ...ctx.business, phoneNumberId: sent.phoneNumberId };
    const lostBody =
      sent === undefined
        ? statusDelivery(ctx, ctx.ana, statusItem(ctx, lost, ctx.ana, 'sent', 0, opts))
        : delivery(
            entry(business, [
              messagesChange(business, {
                statuses: [
                  {
                    id: sent.wamid,
                    status: 'sent',
                    timestamp: String(ctx.now),
                    recipient_id: sent.to.replace(/\D/g, ''),
                  },
                ],
              }),
            ]),
          );
    return {
      steps: [
        { kind: 'delivery', label: `OTP ${lost}: sent, then nothing`, body: lostBody },
        {
          kind: 'delivery',
          label: 'OTP to Ben: sent',
          body: statusDelivery(ctx, ctx.ben, statusItem(ctx, arrived, ctx.ben, 'sent', 0, opts)),
        },
        {
          kind: 'delivery',
          label: 'OTP to Ben: delivered (t+3s)',
          body: statusDelivery(ctx, ctx.ben, statusItem(ctx, arrived, ctx.ben, 'delivered', 3, opts)),
        },
      ],
      expect: {
        events: { 'status.sent': 2, 'status.delivered': 1 },
        messageStatus: { [lost]: 'sent', [arrived]: 'delivered' },
      },
    };
  },
};
