import { delivery, entry, inbound, inboundDelivery } from './envelope.js';
import type { Scenario } from './types.js';

/**
 * Meta adds fields and message types without versioning the webhook. A
 * receiver must answer 200, keep the raw value and surface it as an explicit unknown event
 * (tolerant parsing: unknown things become explicit `unknown` events, never errors). Both names below are invented so no receiver can know them.
 */
export const unknownFieldAndType: Scenario = {
  name: 'unknown-field-and-type',
  description:
    'A webhook field and a message type that do not exist yet: must be acknowledged and kept as unknown events',
  build(ctx) {
    const message = inbound(ctx, ctx.ana, 'hologram', { frames: 24, caption: 'Próximamente / soon' }, 0);
    const futureField = {
      field: 'conversation_insights_update',
      value: {
        messaging_product: 'whatsapp',
        insight_type: 'SENTIMENT_SHIFT',
        score: 0.82,
        phone_number_id: ctx.business.phoneNumberId,
      },
    };
    return {
      steps: [
        {
          kind: 'delivery',
          label: 'inbound message of unknown type "hologram"',
          body: inboundDelivery(ctx, ctx.ana, message),
        },
        {
          kind: 'delivery',
          label: 'unknown field "conversation_insights_update"',
          body: delivery(entry(ctx.business, [futureField], ctx.now)),
        },
      ],
      expect: { events: { 'message.unknown': 1, unknown: 1 } },
    };
  },
};
