import { contactOf, delivery, entry, inbound, inboundDelivery, messagesChange } from './envelope.js';
import { statusItem } from './statuses.js';
import type { Scenario } from './types.js';

/**
 * Duplicates as Meta produces them (Meta's docs on responses, timeouts and retries; duplicates): the same bytes retried after a lost
 * acknowledgement, and the same status item re-sent inside a different delivery (re-batched, or
 * sent again to every subscribed app). Each item must still yield exactly one event.
 */
export const duplicateRetries: Scenario = {
  name: 'duplicate-retries',
  description: 'Same delivery sent twice byte for byte, and the same statuses again inside a different batch',
  build(ctx) {
    const { ana } = ctx;
    const message = inbound(ctx, ana, 'text', { body: 'Repito: ¿hay mesa?' }, 0);
    const outbound = ctx.ids.wamid(ana.waId ?? '');
    const delivered = statusItem(ctx, outbound, ana, 'delivered', 5, { pricing: 'service' });
    const read = statusItem(ctx, outbound, ana, 'read', 9);
    const alone = delivery(
      entry(ctx.business, [
        messagesChange(ctx.business, { contacts: [contactOf(ana)], statuses: [delivered] }),
      ]),
    );
    const rebatched = delivery(
      entry(ctx.business, [
        messagesChange(ctx.business, { contacts: [contactOf(ana)], statuses: [delivered, read] }),
      ]),
    );
    return {
      steps: [
        {
          kind: 'delivery',
          label: 'inbound text, sent twice (identical bytes)',
          body: inboundDelivery(ctx, ana, message),
          times: 2,
        },
        { kind: 'delivery', label: 'status delivered', body: alone },
        { kind: 'delay', ms: 20, reason: 'a later aggregation window' },
        { kind: 'delivery', label: 'status delivered again + read (re-batched)', body: rebatched },
      ],
      expect: {
        events: { 'message.text': 1, 'status.delivered': 1, 'status.read': 1 },
        messageStatus: { [outbound]: 'read' },
      },
    };
  },
};
