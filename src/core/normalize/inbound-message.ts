/** One inbound `value.messages[]` item → one `message.*` event (reference §4). */
import type { EventName } from '../../events/event-names.js';
import type { InboundMessageBase, MessageContent } from '../../events/data-types/messages.js';
import type { Loose } from '../../meta/common.js';
import type { WireInboundMessage } from '../../meta/messages.js';
import { hashKey, messageKey } from '../event-key.js';
import { emit, type ChangeContext, type ContactIndex } from './context.js';
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

/** Keys of an inbound message besides its content. */
function inboundBase(w: Loose<WireInboundMessage>): InboundMessageBase {
  return {
    type: str(w.type) ?? '',
    from: phone(w.from),
    fromUserId: str(w.from_user_id),
    fromParentUserId: str(w.from_parent_user_id),
    groupId: str(w.group_id),
    context: messageContext(w.context),
    referral: referral(w.referral),
    errors: waErrors(w.errors),
  };
}

function inboundContent(m: Obj): MessageContent {
  const content = messageContent(m);
  return content.kind === 'media_placeholder'
    ? { kind: 'unknown', type: 'media_placeholder', reason: 'media placeholder outside history' }
    : content;
}

/** Base + content of an inbound message (also used for standby copies). */
export function inboundMessageData(m: Obj): InboundMessageBase & MessageContent {
  return { ...inboundBase(m as Loose<WireInboundMessage>), ...inboundContent(m) };
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
  const base = inboundBase(m as Loose<WireInboundMessage>);
  const wamid = str(m['id']);
  const content: MessageContent =
    wamid === undefined
      ? { kind: 'unknown', type: base.type, reason: 'message has no id' }
      : inboundContent(m);
  emit(ctx, KIND_EVENT[content.kind], {
    key: wamid === undefined ? hashKey(ctx.field, ctx.wabaId, item) : messageKey(ctx.phoneNumberId, wamid),
    occurredAt: epochMs(m['timestamp']) ?? ctx.entryTime,
    contact: contacts.resolve(base.from, base.fromUserId, base.fromParentUserId),
    wamid,
    data: { ...base, ...content } as never,
    raw: item,
  });
}
