/** Pieces of a message: context, referral, media, shared contact cards, order items (Meta's docs on inbound messages). */
import type {
  MediaInfo,
  MessageContext,
  OrderItem,
  Referral,
  SharedContact,
} from '../../events/data-types/messages.js';
import type { Loose } from '../../meta/common.js';
import type {
  WireContext,
  WireMedia,
  WireOrder,
  WireReferral,
  WireSharedContact,
} from '../../meta/messages.js';
import { bool, list, num, obj, phone, str } from './read.js';

export function messageContext(v: unknown): MessageContext | undefined {
  const c = obj(v) as Loose<WireContext> | undefined;
  if (c === undefined) return undefined;
  const product = obj(c.referred_product);
  return {
    from: phone(c.from),
    id: str(c.id),
    forwarded: bool(c.forwarded) ?? false,
    frequentlyForwarded: bool(c.frequently_forwarded) ?? false,
    referredProduct: product
      ? { catalogId: str(product['catalog_id']), productRetailerId: str(product['product_retailer_id']) }
      : undefined,
    type: str(c.type),
  };
}

export function referral(v: unknown): Referral | undefined {
  const r = obj(v) as Loose<WireReferral> | undefined;
  if (r === undefined) return undefined;
  const welcome = obj(r.welcome_message);
  return {
    sourceUrl: str(r.source_url),
    sourceId: str(r.source_id),
    sourceType: str(r.source_type),
    body: str(r.body),
    headline: str(r.headline),
    mediaType: str(r.media_type),
    imageUrl: str(r.image_url),
    videoUrl: str(r.video_url),
    thumbnailUrl: str(r.thumbnail_url),
    ctwaClid: str(r.ctwa_clid),
    welcomeMessageText: welcome ? str(welcome['text']) : undefined,
  };
}

export function media(m: Loose<WireMedia>): MediaInfo {
  return {
    id: str(m.id),
    mimeType: str(m.mime_type),
    sha256: str(m.sha256),
    url: str(m.url),
    caption: str(m.caption),
    filename: str(m.filename),
    voice: bool(m.voice),
    animated: bool(m.animated),
  };
}

export function sharedContact(v: unknown): SharedContact {
  const c = (obj(v) ?? {}) as Loose<WireSharedContact>;
  const name = obj(c.name);
  const org = obj(c.org);
  return {
    origin: str(c.origin),
    vcard: str(c.vcard),
    formattedName: name ? str(name['formatted_name']) : undefined,
    firstName: name ? str(name['first_name']) : undefined,
    lastName: name ? str(name['last_name']) : undefined,
    phones: list(c.phones).map((p) => {
      const o = obj(p) ?? {};
      return { phone: str(o['phone']), waId: phone(o['wa_id']), type: str(o['type']) };
    }),
    emails: list(c.emails).map((e) => {
      const o = obj(e) ?? {};
      return { email: str(o['email']), type: str(o['type']) };
    }),
    birthday: str(c.birthday),
    company: org ? str(org['company']) : undefined,
    raw: v,
  };
}

export function orderItems(o: Loose<WireOrder>): readonly OrderItem[] {
  return list(o.product_items).map((p) => {
    const i = obj(p) ?? {};
    return {
      productRetailerId: str(i['product_retailer_id']),
      quantity: num(i['quantity']),
      itemPrice: num(i['item_price']),
      currency: str(i['currency']),
    };
  });
}
