import { delivery, entry, messagesChange } from './envelope.js';
import { statusDelivery, statusItem } from './statuses.js';
import type { Delivery, Scenario, ScenarioContext } from './types.js';

/** `user_preferences` (Meta's docs on `user_preferences`): contacts often carry only wa_id + BSUID; timestamp is an integer. */
function preference(ctx: ScenarioContext, choice: 'stop' | 'resume', at: number): Delivery {
  const { ana } = ctx;
  const ids = { wa_id: ana.waId, user_id: ana.userId };
  return delivery(
    entry(ctx.business, [
      messagesChange(
        ctx.business,
        {
          contacts: [ids],
          user_preferences: [
            {
              ...ids,
              detail: `User requested to ${choice} marketing messages`,
              category: 'marketing_messages',
              value: choice,
              timestamp: ctx.now + at,
            },
          ],
        },
        'user_preferences',
      ),
    ]),
  );
}

export const marketingOptOutAndResume: Scenario = {
  name: 'marketing-opt-out-and-resume',
  description:
    'User stops marketing, a marketing send then fails with 131050, the user resumes and the next one is sent',
  build(ctx) {
    const { ana } = ctx;
    const blocked = ctx.ids.wamid(ana.waId ?? '');
    const allowed = ctx.ids.wamid(ana.waId ?? '');
    return {
      steps: [
        { kind: 'delivery', label: 'user_preferences stop', body: preference(ctx, 'stop', 0) },
        {
          kind: 'delivery',
          label: 'status failed 131050',
          body: statusDelivery(
            ctx,
            ana,
            statusItem(ctx, blocked, ana, 'failed', 3600, { errorCode: 131050 }),
          ),
        },
        { kind: 'delivery', label: 'user_preferences resume', body: preference(ctx, 'resume', 86400) },
        {
          kind: 'delivery',
          label: 'status sent (marketing)',
          body: statusDelivery(
            ctx,
            ana,
            statusItem(ctx, allowed, ana, 'sent', 90000, { pricing: 'marketing' }),
          ),
        },
      ],
      expect: {
        events: { 'user.preferences': 2, 'status.failed': 1, 'status.sent': 1 },
        messageStatus: { [blocked]: 'failed', [allowed]: 'sent' },
      },
    };
  },
};
