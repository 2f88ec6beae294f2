/** One inbound `value.messages[]` item → one `message.*` event (Meta's docs on inbound messages). */
import type { EventName } from '../../events/event-names.js';
import type { InboundMessageBase, MessageContent } from '../../events/data-types/messages.js';
import type { Loose } from '../../meta/common.js';
import type { WireInboundMessage } from '../../meta/messages.js';
import { hashKey, messageKey } from '../event-key.js';
import { emit, push, type ChangeContext, type ContactIndex } from './context.js';
import { waErrors } from './errors.js';
import { messageContent } from './message-content.js';
import { messageContext, referral } from './message-parts.js';
import { epochMs, obj, phone, str, type Obj } from './read.js';

/** Content kinds that have their own `message.<kind>` event; everything else is `message.unknown`. */
const KIND_EVENT: Readonly<Record<MessageContent['kind'], EventName>> = {
  text: 'message.text',
  image: 'message.image',
  video: 'message.video',
  audio: 'message.audio',
  document: 'message.document',
  sticker: 'message.sticker',
  location: 'message.location',
  contacts: 'message.contacts',
  button: 'message.button',
  button_reply: 'message.button_reply',
  list_reply: 'message.list_reply',
  nfm_reply: 'message.nfm_reply',
  call_permission_reply: 'message.call_permission_reply',
  reaction: 'message.reaction',
  order: 'message.order',
  system: 'message.system',
  unsupported: 'message.unsupported',
  revoke: 'message.revoke',
  edit: 'message.edit',
  request_welcome: 'message.request_welcome',
  media_placeholder: 'message.unknown',
  unknown: 'message.unknown',
};

/**
 * Adds the keys of an inbound message to its (freshly built) content object. Assigning onto the
 * content avoids a second object spread per message on the hot path.
 */
function withBase(
  w: Loose<WireInboundMessage>,
  content: MessageContent,
): InboundMessageBase & MessageContent {
  const d = content as Record<string, unknown>;
  // message.unknown keeps the more precise type of its content (`interactive.<subtype>`).
  if (d['type'] === undefined) d['type'] = str(w.type) ?? '';
  d['from'] = phone(w.from);
  d['fromUserId'] = str(w.from_user_id);
  d['fromParentUserId'] = str(w.from_parent_user_id);
  d['groupId'] = str(w.group_id);
  d['context'] = messageContext(w.context);
  d['referral'] = referral(w.referral);
  d['errors'] = waErrors(w.errors);
  return d as unknown as InboundMessageBase & MessageContent;
}

function inboundContent(m: Obj): MessageContent {
  const content = messageContent(m);
  return content.kind === 'media_placeholder'
    ? { kind: 'unknown', type: 'media_placeholder', reason: 'media placeholder outside history' }
    : content;
}

/** Base + content of an inbound message (also used for standby copies). */
export function inboundMessageData(m: Obj, contacts: ContactIndex): InboundMessageBase & MessageContent {
  return withIdentityKeyHash(withBase(m as Loose<WireInboundMessage>, inboundContent(m)), contacts);
}

/** The sender's identity_key_hash lives on its `contacts[]` entry, not on the message. */
function withIdentityKeyHash(
  data: InboundMessageBase & MessageContent,
  contacts: ContactIndex,
): InboundMessageBase & MessageContent {
  const hash = contacts.identityKeyHash(data.from, data.fromUserId);
  if (hash !== undefined) (data as unknown as Record<string, unknown>)['identityKeyHash'] = hash;
  return data;
}

export function normalizeInboundMessage(ctx: ChangeContext, item: unknown, contacts: ContactIndex): void {
  const m = obj(item);
  if (m === undefined) {
    emit(ctx, 'message.unknown', {
      key: hashKey(ctx.field, ctx.wabaId, item),
      occurredAt: ctx.entryTime,
      data: { type: '', errors: [], kind: 'unknown', reason: 'message is not an object' },
      raw: item,
    });
    return;
  }
  const wamid = str(m['id']);
  const content: MessageContent =
    wamid === undefined
      ? { kind: 'unknown', type: str(m['type']) ?? '', reason: 'message has no id' }
      : inboundContent(m);
  const data = withIdentityKeyHash(withBase(m as Loose<WireInboundMessage>, content), contacts);
  push(
    ctx,
    KIND_EVENT[content.kind],
    wamid === undefined ? hashKey(ctx.field, ctx.wabaId, item) : messageKey(ctx.phoneNumberId, wamid),
    epochMs(m['timestamp']) ?? ctx.entryTime,
    contacts.resolve(data.from, data.fromUserId, data.fromParentUserId),
    wamid,
    data as never,
    item,
  );
}
