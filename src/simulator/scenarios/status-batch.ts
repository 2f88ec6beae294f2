import { contactOf, delivery, entry, messagesChange } from './envelope.js';
import { statusItem } from './statuses.js';
import type { Delivery, ScenarioContext } from './types.js';

/**
 * The bread-and-butter delivery of a busy number: three statuses for three outbound messages
 * aggregated in one POST (Meta's docs on batching and payload size), about 1.5 KB once escaped. Used by load mode; every call
 * draws fresh wamids, so a receiver cannot dedupe the load away.
 */
export function statusBatch(ctx: ScenarioContext, offsetSeconds: number): Delivery {
  const { ana, ben } = ctx;
  const first = ctx.ids.wamid(ana.waId ?? '');
  const second = ctx.ids.wamid(ben.waId ?? '');
  const third = ctx.ids.wamid(ana.waId ?? '');
  return delivery(
    entry(ctx.business, [
      messagesChange(ctx.business, {
        contacts: [contactOf(ana), contactOf(ben)],
        statuses: [
          statusItem(ctx, first, ana, 'sent', offsetSeconds, {
            pricing: 'utility',
            callbackData: 'order-4711',
          }),
          statusItem(ctx, second, ben, 'delivered', offsetSeconds, {
            pricing: 'marketing',
            callbackData: 'campaign-17',
          }),
          statusItem(ctx, third, ana, 'read', offsetSeconds, { callbackData: 'order-4702' }),
        ],
      }),
    ]),
  );
}
