/** Small Meta-shaped deliveries for processing tests (reference §5.3, §3.14, §4.2). */
export const WABA = '800000000000001';
export const PNID = '900000000000001';

/** One entry of the business account with one change of `field`, as Meta serializes a delivery. */
export const envelope = (field: string, value: Record<string, unknown>, time?: number) =>
  JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: WABA, ...(time === undefined ? {} : { time }), changes: [{ field, value }] }],
  });

const metadata = { display_phone_number: '15551230000', phone_number_id: PNID };

export interface StatusSpec {
  readonly wamid: string;
  readonly status: string;
  /** Unix seconds. */
  readonly ts: number;
  readonly waId?: string;
  readonly userId?: string;
  readonly errorCode?: number;
  readonly pricing?: string;
  readonly name?: string;
}

export function statusItem(s: StatusSpec) {
  return {
    id: s.wamid,
    status: s.status,
    timestamp: String(s.ts),
    recipient_id: s.waId ?? '447700900123',
    ...(s.userId ? { recipient_user_id: s.userId } : {}),
    ...(s.pricing
      ? { pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: s.pricing } }
      : {}),
    ...(s.errorCode
      ? {
          errors: [
            {
              code: s.errorCode,
              title: 'Err',
              message: 'Err',
              error_data: { details: `details ${s.errorCode}` },
            },
          ],
        }
      : {}),
  };
}

export function statusDelivery(...statuses: StatusSpec[]): string {
  // Meta omits contacts on failed statuses (reference §5.1); one contact per person.
  const byUser = new Map<string, Record<string, unknown>>();
  for (const s of statuses)
    if (s.status !== 'failed' && s.userId && !byUser.has(s.userId))
      byUser.set(s.userId, {
        profile: { name: s.name ?? 'Ana' },
        wa_id: s.waId ?? '447700900123',
        user_id: s.userId,
      });
  const contacts = [...byUser.values()];
  return envelope('messages', {
    messaging_product: 'whatsapp',
    metadata,
    ...(contacts.length ? { contacts } : {}),
    statuses: statuses.map(statusItem),
  });
}

export function textDelivery(
  wamid: string,
  ts: number,
  body: string,
  from = '447700900123',
  userId?: string,
): string {
  return envelope('messages', {
    messaging_product: 'whatsapp',
    metadata,
    contacts: [{ profile: { name: 'Ana Ruiz' }, wa_id: from, ...(userId ? { user_id: userId } : {}) }],
    messages: [
      {
        from,
        ...(userId ? { from_user_id: userId } : {}),
        id: wamid,
        timestamp: String(ts),
        type: 'text',
        text: { body },
        context: { from: '15551230000', id: 'wamid.ORIGINAL', forwarded: true },
      },
    ],
  });
}

export function preferenceDelivery(
  value: 'stop' | 'resume',
  ts: number,
  waId = '447700900123',
  userId?: string,
) {
  return envelope('user_preferences', {
    messaging_product: 'whatsapp',
    metadata,
    contacts: [{ wa_id: waId, ...(userId ? { user_id: userId } : {}) }],
    user_preferences: [
      {
        wa_id: waId,
        ...(userId ? { user_id: userId } : {}),
        detail: `User requested to ${value} marketing messages`,
        category: 'marketing_messages',
        value,
        timestamp: ts,
      },
    ],
  });
}

export function templateStatusDelivery(id: number, event: string, time: number, reason = 'NONE') {
  return envelope(
    'message_template_status_update',
    {
      event,
      message_template_id: id,
      message_template_name: 'order_update',
      message_template_language: 'en_US',
      reason,
    },
    time,
  );
}
