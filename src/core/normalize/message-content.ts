/**
 * The content of one message (inbound, echo, history item, edited message) keyed by `type`
 * (Meta's docs on message types). A type Wharf does not know, an unknown interactive subtype, or a
 * content object of the wrong shape becomes `{ kind: 'unknown', type, reason }`.
 */
import type { MessageContent } from '../../events/data-types/messages.js';
import type { Loose } from '../../meta/common.js';
import type { WireInteractive, WireMedia, WireMessageContent, WireSystem } from '../../meta/messages.js';
import { bool, epochMs, num, obj, phone, str, type Obj } from './read.js';
import { media, orderItems, sharedContact } from './message-parts.js';

type Wire = Loose<WireMessageContent>;

function unknown(type: string, reason: string): MessageContent {
  return { kind: 'unknown', type, reason };
}

const MEDIA_KINDS = new Set(['image', 'video', 'audio', 'document', 'sticker']);

/** @param depth guards recursion through `edit.message`. */
export function messageContent(m: Obj, depth = 0): MessageContent {
  const w = m as Wire;
  const type = str(w.type);
  if (type === undefined) return unknown('', 'message has no type');
  if (MEDIA_KINDS.has(type)) {
    const o = obj(m[type]);
    if (o === undefined) return unknown(type, `${type} object missing`);
    return { kind: type as 'image', media: media(o as Loose<WireMedia>) };
  }
  switch (type) {
    case 'text': {
      const body = str(obj(w.text)?.['body']);
      return body === undefined ? unknown(type, 'text.body missing') : { kind: 'text', body };
    }
    case 'location':
      return location(w);
    case 'contacts':
      return Array.isArray(w.contacts)
        ? { kind: 'contacts', contacts: w.contacts.map(sharedContact) }
        : unknown(type, 'contacts is not an array');
    case 'button': {
      const b = obj(w.button);
      return b
        ? { kind: 'button', text: str(b['text']), payload: str(b['payload']) }
        : unknown(type, 'button object missing');
    }
    case 'interactive':
      return interactive(w.interactive);
    case 'reaction': {
      const r = obj(w.reaction);
      const messageId = r ? str(r['message_id']) : undefined;
      if (r === undefined || messageId === undefined) return unknown(type, 'reaction.message_id missing');
      const emoji = str(r['emoji']);
      return {
        kind: 'reaction',
        messageId,
        emoji: emoji === '' ? undefined : emoji,
        removed: emoji === undefined || emoji === '',
      };
    }
    case 'order': {
      const o = obj(w.order);
      return o
        ? { kind: 'order', catalogId: str(o['catalog_id']), text: str(o['text']), items: orderItems(o) }
        : unknown(type, 'order object missing');
    }
    case 'system':
      return system(w.system);
    case 'unsupported':
      return { kind: 'unsupported', unsupportedType: str(obj(w.unsupported)?.['type']) };
    case 'revoke': {
      const id = str(obj(w.revoke)?.['original_message_id']);
      return id === undefined
        ? unknown(type, 'revoke.original_message_id missing')
        : { kind: 'revoke', originalMessageId: id };
    }
    case 'edit':
      return edit(w.edit, depth);
    case 'request_welcome':
      return { kind: 'request_welcome', welcome: true };
    case 'media_placeholder':
      return { kind: 'media_placeholder', placeholder: true };
    default:
      return unknown(type, `unknown message type "${type}"`);
  }
}

function location(w: Wire): MessageContent {
  const l = obj(w.location);
  const latitude = l ? num(l['latitude']) : undefined;
  const longitude = l ? num(l['longitude']) : undefined;
  if (l === undefined || latitude === undefined || longitude === undefined) {
    return unknown('location', 'location.latitude/longitude missing');
  }
  return {
    kind: 'location',
    latitude,
    longitude,
    name: str(l['name']),
    address: str(l['address']),
    url: str(l['url']),
  };
}

function interactive(v: unknown): MessageContent {
  const i = obj(v) as Loose<WireInteractive> | undefined;
  const sub = i ? str(i.type) : undefined;
  if (i === undefined || sub === undefined) return unknown('interactive', 'interactive.type missing');
  const o = obj(i[sub as keyof WireInteractive]);
  const label = `interactive.${sub}`;
  switch (sub) {
    case 'button_reply':
    case 'list_reply': {
      const id = o ? str(o['id']) : undefined;
      if (o === undefined || id === undefined) return unknown(label, `${label}.id missing`);
      return sub === 'button_reply'
        ? { kind: 'button_reply', id, title: str(o['title']) }
        : { kind: 'list_reply', id, title: str(o['title']), description: str(o['description']) };
    }
    case 'nfm_reply': {
      if (o === undefined) return unknown(label, `${label} object missing`);
      const responseJson = str(o['response_json']);
      return {
        kind: 'nfm_reply',
        name: str(o['name']),
        body: str(o['body']),
        responseJson,
        response: parseJson(responseJson),
      };
    }
    case 'call_permission_reply':
      if (o === undefined) return unknown(label, `${label} object missing`);
      return {
        kind: 'call_permission_reply',
        response: str(o['response']),
        expiresAt: epochMs(o['expiration_timestamp']),
        responseSource: str(o['response_source']),
        isPermanent: bool(o['is_permanent']),
      };
    default:
      return unknown(label, `unknown interactive type "${sub}"`);
  }
}

/** nfm_reply.response_json is a JSON string (Meta's docs on `nfm_reply` (Flows)); not JSON → null, raw string kept. */
function parseJson(s: string | undefined): unknown {
  if (s === undefined) return null;
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return null;
  }
}

function system(v: unknown): MessageContent {
  const s = obj(v) as Loose<WireSystem> | undefined;
  if (s === undefined) return unknown('system', 'system object missing');
  return {
    kind: 'system',
    systemType: str(s.type),
    body: str(s.body),
    // Legacy customer_changed_number carried the new number in `new_wa_id` [3P].
    waId: phone(s.wa_id) ?? phone(s.new_wa_id),
    userId: str(s.user_id),
    parentUserId: str(s.parent_user_id),
    identity: str(s.identity),
  };
}

function edit(v: unknown, depth: number): MessageContent {
  const e = obj(v);
  const id = e ? str(e['original_message_id']) : undefined;
  if (e === undefined || id === undefined) return unknown('edit', 'edit.original_message_id missing');
  const inner = obj(e['message']);
  const message =
    inner === undefined || depth > 0 ? unknown('', 'edit.message missing') : messageContent(inner, depth + 1);
  return { kind: 'edit', originalMessageId: id, message };
}
