import { contactOf, delivery, entry, inbound, messagesChange } from './envelope.js';
import { statusItem } from './statuses.js';
import type { Scenario } from './types.js';

/**
 * One POST carrying several entries (two WABAs), several changes per entry and several items per
 * change, the way Meta aggregates (Meta's docs on batching and payload size) — receivers that read `[0]` lose most of it.
 * Contacts are joined to messages by id, not by position (Meta's docs on batching and payload size), so they are listed in reverse.
 */
export const batchedDelivery: Scenario = {
  name: 'batched-delivery',
  description:
    'One POST with 2 entries, 4 changes and 9 items: messages from two users, statuses, a group status, a template',
  build(ctx) {
    const { ana, ben, business, otherBusiness } = ctx;
    const toAna = ctx.ids.wamid(ana.waId ?? '');
    const toBen = ctx.ids.wamid(ben.waId ?? '');
    const toGroup = ctx.ids.wamid(otherBusiness.displayPhoneNumber);
    const groupId = Buffer.from(`capi_group:${ctx.ids.token(12)}`).toString('base64');
    const inbox = messagesChange(business, {
      contacts: [contactOf(ben), contactOf(ana)],
      messages: [
        inbound(ctx, ana, 'text', { body: 'Primero' }, 1),
        inbound(
          ctx,
          ben,
          'image',
          { mime_type: 'image/png', sha256: ctx.ids.sha256Base64(), id: ctx.ids.digits(16) },
          1,
        ),
        inbound(ctx, ana, 'text', { body: 'Segundo' }, 2),
      ],
    });
    const statuses = messagesChange(business, {
      contacts: [contactOf(ana), contactOf(ben)],
      statuses: [
        statusItem(ctx, toAna, ana, 'sent', 0, { pricing: 'utility' }),
        statusItem(ctx, toAna, ana, 'delivered', 1, { pricing: 'utility' }),
        statusItem(ctx, toBen, ben, 'sent', 0, { pricing: 'utility' }),
      ],
    });
    const templateApproved = {
      field: 'message_template_status_update',
      value: {
        event: 'APPROVED',
        message_template_id: Number(ctx.ids.digits(16)),
        message_template_name: 'confirmacion_pedido',
        message_template_language: 'es_ES',
        reason: 'NONE',
        message_template_category: 'UTILITY',
      },
    };
    const participant = (person: typeof ana, at: number) => ({
      id: toGroup,
      status: 'delivered',
      timestamp: String(ctx.now + at),
      recipient_id: groupId,
      recipient_type: 'group',
      recipient_participant_user_id: person.userId,
    });
    const group = messagesChange(otherBusiness, {
      contacts: [contactOf(ana), contactOf(ben)],
      statuses: [participant(ana, 5), participant(ben, 6)],
    });
    const body = delivery(
      entry(business, [inbox, statuses, templateApproved]),
      entry(otherBusiness, [group]),
    );
    return {
      steps: [{ kind: 'delivery', label: 'batched: 2 entries, 4 changes, 9 items', body }],
      expect: {
        events: {
          'message.text': 2,
          'message.image': 1,
          'status.sent': 2,
          'status.delivered': 3,
          'template.status': 1,
        },
        messageStatus: { [toAna]: 'delivered', [toBen]: 'sent', [toGroup]: 'delivered' },
      },
    };
  },
};
