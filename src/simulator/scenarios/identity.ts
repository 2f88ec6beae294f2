import { inbound, inboundDelivery } from './envelope.js';
import { statusDelivery, statusItem } from './statuses.js';
import type { Scenario } from './types.js';

/**
 * A user who adopted a username and hides their number (Meta's docs on business-scoped user ids and usernames): no `wa_id`, no `from`,
 * no `recipient_id` — only the BSUID and `profile.username`, which is itself omitted on `sent`.
 */
export const bsuidOnlyContact: Scenario = {
  name: 'bsuid-only-contact',
  description:
    'Username user with a hidden number: inbound text and a reply sent → delivered, identified only by BSUID',
  build(ctx) {
    const { lena } = ctx;
    const message = inbound(ctx, lena, 'text', { body: 'Cześć! Czy mogę zmienić godzinę odbioru?' }, 0);
    const reply = ctx.ids.wamid(ctx.business.displayPhoneNumber);
    return {
      steps: [
        { kind: 'delivery', label: 'inbound text (BSUID only)', body: inboundDelivery(ctx, lena, message) },
        {
          kind: 'delivery',
          label: 'status sent to BSUID',
          body: statusDelivery(ctx, lena, statusItem(ctx, reply, lena, 'sent', 30, { pricing: 'service' })),
        },
        {
          kind: 'delivery',
          label: 'status delivered to BSUID',
          body: statusDelivery(
            ctx,
            lena,
            statusItem(ctx, reply, lena, 'delivered', 31, { pricing: 'service' }),
          ),
        },
      ],
      expect: {
        events: { 'message.text': 1, 'status.sent': 1, 'status.delivered': 1 },
        messageStatus: { [reply]: 'delivered' },
      },
    };
  },
};
