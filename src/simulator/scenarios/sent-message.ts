import { delivery, entry, messagesChange } from './envelope.js';
import type { Scenario, ScenarioContext } from './types.js';

/** A message sent through Wharf (its wamid from Meta, or from the local Graph API mock). */
export interface SentMessage {
  readonly wamid: string;
  /** Phone number the message went to. */
  readonly to: string;
  readonly phoneNumberId: string;
}

const HOPS = [
  ['sent', 0],
  ['delivered', 2],
  ['read', 30],
] as const;

/**
 * The statuses Meta sends for a message the business sent, for a wamid the send answered
 * (`wharf send`, POST /api/v1/messages, the Graph API mock): sent → delivered → read, so the
 * send's record in Wharf shows the whole way. Without a sent message given, one of Ana's is made up.
 * Items carry `recipient_id` and pricing as Meta's do; no BSUID is invented for the recipient.
 */
export const sentMessageStatuses: Scenario = {
  name: 'sent-message-statuses',
  description:
    'Statuses for a message sent through Wharf (--wamid, --to, --phone-number-id): sent → delivered → read',
  build(ctx: ScenarioContext) {
    const sent: SentMessage = ctx.sent ?? {
      wamid: ctx.ids.wamid(ctx.ana.waId ?? ''),
      to: ctx.ana.waId ?? '',
      phoneNumberId: ctx.business.phoneNumberId,
    };
    const business =
      sent.phoneNumberId === ctx.business.phoneNumberId
        ? ctx.business
        : { ...ctx.business, phoneNumberId: sent.phoneNumberId };
    const recipient = sent.to.replace(/\D/g, '');
    const steps = HOPS.map(([status, offset]) => ({
      kind: 'delivery' as const,
      label: `status ${status} of ${sent.wamid} (t+${offset}s)`,
      body: delivery(
        entry(business, [
          messagesChange(business, {
            ...(status === 'sent' ? {} : { contacts: [{ wa_id: recipient }] }),
            statuses: [
              {
                id: sent.wamid,
                status,
                timestamp: String(ctx.now + offset),
                recipient_id: recipient,
                pricing: {
                  billable: false,
                  pricing_model: 'PMP',
                  type: 'free_customer_service',
                  category: 'service',
                },
              },
            ],
          }),
        ]),
      ),
    }));
    return {
      steps,
      expect: {
        events: { 'status.sent': 1, 'status.delivered': 1, 'status.read': 1 },
        messageStatus: { [sent.wamid]: 'read' },
      },
    };
  },
};
