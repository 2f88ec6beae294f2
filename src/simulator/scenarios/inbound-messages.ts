import { delivery, entry, inbound, inboundDelivery, messagesChange } from './envelope.js';
import { errorObject } from './error-object.js';
import type { Scenario, ScenarioContext, Step } from './types.js';

type Built = { label: string; type: string; message: Record<string, unknown> };

/** Media objects as in Meta's docs on media messages (url since 2025-11, sha256 base64 in `messages`). */
function media(
  ctx: ScenarioContext,
  mime: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const id = ctx.ids.digits(16);
  return {
    mime_type: mime,
    sha256: ctx.ids.sha256Base64(),
    id,
    url: `https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=${id}&ext=${ctx.now}`,
    ...extra,
  };
}

type Make = (
  label: string,
  type: string,
  payload: unknown,
  at: number,
  extra?: Record<string, unknown>,
) => Built;

/** One inbound message per type Meta documents (Meta's docs on message types), non-ASCII and `/` included. */
function messagesOfEveryType(ctx: ScenarioContext): Built[] {
  const outbound = ctx.ids.wamid(ctx.ana.waId ?? '');
  const m: Make = (label, type, payload, at, extra = {}) => ({
    label,
    type,
    message: inbound(ctx, ctx.ana, type, payload, at, extra),
  });
  const first = m('text', 'text', { body: '¿Abrís el domingo 12/01? Quiero reservar 👍' }, 1);
  return [
    first,
    ...contentMessages(ctx, m),
    ...answerMessages(ctx, m, outbound, String(first.message['id'])),
  ];
}

/** Messages that carry content: ad referral (Meta's docs on Click-to-WhatsApp referrals), media (Meta's docs on media messages), location, shared contacts. */
function contentMessages(ctx: ScenarioContext, m: Make): Built[] {
  const { ben } = ctx;
  return [
    m('text from a click-to-WhatsApp ad', 'text', { body: 'Hola, vi el anuncio' }, 2, {
      referral: {
        source_url: 'https://fb.me/3cr4Wqqkv',
        source_id: ctx.ids.digits(17),
        source_type: 'ad',
        body: 'Menú del día: 12 €',
        headline: 'Reserva tu mesa',
        media_type: 'image',
        image_url: 'https://scontent.xx.fbcdn.net/v/t45.1600-4/ad.png',
        ctwa_clid: ctx.ids.token(40),
        welcome_message: { text: '¡Hola! ¿En qué podemos ayudarte?' },
      },
    }),
    m('image', 'image', media(ctx, 'image/jpeg', { caption: 'La mesa junto a la ventana' }), 3),
    m('video', 'video', media(ctx, 'video/mp4', { caption: 'Así llegar' }), 4),
    m('voice note', 'audio', media(ctx, 'audio/ogg; codecs=opus', { voice: true }), 5),
    m(
      'document',
      'document',
      media(ctx, 'application/pdf', { filename: 'factura/enero.pdf', caption: 'Factura' }),
      6,
    ),
    m('sticker', 'sticker', media(ctx, 'image/webp', { animated: false }), 7),
    m(
      'location',
      'location',
      {
        latitude: 40.4168,
        longitude: -3.7038,
        name: 'Puerta del Sol',
        address: 'Plaza de la Puerta del Sol, Madrid',
      },
      8,
    ),
    m(
      'shared contact',
      'contacts',
      [
        {
          origin: 'other',
          name: { formatted_name: 'Ben Müller', first_name: 'Ben', last_name: 'Müller' },
          phones: [{ phone: `+${ben.waId ?? ''}`, wa_id: ben.waId, type: 'MOBILE' }],
        },
      ],
      9,
    ),
  ];
}

/** Messages that answer or act on something: buttons, interactive replies, reactions, order, edits. */
function answerMessages(ctx: ScenarioContext, m: Make, outbound: string, firstId: string): Built[] {
  const reply = { context: { from: ctx.business.displayPhoneNumber, id: outbound } };
  return [
    m(
      'template quick-reply button',
      'button',
      { text: 'Parar promociones', payload: 'OPT_OUT_MKT' },
      10,
      reply,
    ),
    m(
      'interactive button reply',
      'interactive',
      { type: 'button_reply', button_reply: { id: 'confirm', title: 'Sí, confirmo' } },
      11,
      reply,
    ),
    m(
      'interactive list reply',
      'interactive',
      {
        type: 'list_reply',
        list_reply: { id: 'slot_2130', title: '21:30', description: 'Mañana por la noche' },
      },
      12,
      reply,
    ),
    m(
      'flow reply',
      'interactive',
      {
        type: 'nfm_reply',
        nfm_reply: {
          name: 'flow',
          body: 'Sent',
          response_json: '{"flow_token":"tok-1","guests":"4","date":"2026/01/12"}',
        },
      },
      13,
      reply,
    ),
    m(
      'call permission reply',
      'interactive',
      {
        type: 'call_permission_reply',
        call_permission_reply: {
          response: 'accept',
          expiration_timestamp: ctx.now + 7 * 86400,
          response_source: 'user_action',
        },
      },
      13,
      reply,
    ),
    m('reaction', 'reaction', { message_id: outbound, emoji: '❤️' }, 14),
    m('reaction removed', 'reaction', { message_id: outbound }, 15),
    m(
      'order',
      'order',
      {
        catalog_id: ctx.ids.digits(15),
        text: 'Para llevar',
        product_items: [{ product_retailer_id: 'SKU-881', quantity: 2, item_price: 12.5, currency: 'EUR' }],
      },
      16,
    ),
    m('unsupported (poll)', 'unsupported', { type: 'poll_creation' }, 17, { errors: [errorObject(131051)] }),
    m(
      'edit',
      'edit',
      {
        original_message_id: firstId,
        message: { type: 'text', text: { body: '¿Abrís el domingo 19/01?' } },
      },
      18,
    ),
    m('revoke', 'revoke', { original_message_id: firstId }, 19),
    m('request_welcome', 'request_welcome', undefined, 20),
  ];
}

/** `system` messages carry no `contacts[]` and a new number in `system.wa_id` (Meta's docs on `system` messages). */
function systemMessage(ctx: ScenarioContext): Built {
  const newNumber = '34' + ctx.ids.digits(10);
  const message = inbound(
    ctx,
    ctx.ana,
    'system',
    {
      body: `User ${ctx.ana.name} changed from ${ctx.ana.waId ?? ''} to ${newNumber}`,
      wa_id: newNumber,
      user_id: ctx.ids.bsuid('ES'),
      type: 'user_changed_number',
    },
    30,
  );
  delete message['from_user_id'];
  return { label: 'system: number changed', type: 'system', message };
}

/** Wharf's event names: `message.<type>`, and interactive replies by their own kind (src/events/event-names.ts). */
function eventName(b: Built): string {
  const interactive = b.message['interactive'] as { type?: string } | undefined;
  return b.type === 'interactive' && interactive?.type !== undefined
    ? `message.${interactive.type}`
    : `message.${b.type}`;
}

export const inboundAllTypes: Scenario = {
  name: 'inbound-all-types',
  description:
    'One inbound message of every type: text, ad referral, media, location, contacts, buttons, flows, call permission, reactions, order, unsupported, edit, revoke, welcome, system',
  build(ctx) {
    const built = [...messagesOfEveryType(ctx), systemMessage(ctx)];
    const steps: Step[] = built.map((b) => {
      const body =
        b.type === 'system'
          ? delivery(entry(ctx.business, [messagesChange(ctx.business, { messages: [b.message] })]))
          : inboundDelivery(ctx, ctx.ana, b.message);
      return { kind: 'delivery', label: `inbound ${b.label}`, body };
    });
    const events: Record<string, number> = {};
    for (const b of built) events[eventName(b)] = (events[eventName(b)] ?? 0) + 1;
    return { steps, expect: { events } };
  },
};
