/**
 * The conversation's `summary`: a deterministic paragraph written for a person, from
 * the state alone (no model, no clock but the `now` given): who, how many messages over what time,
 * the last thing the customer said, whether the 24-hour window is open, and the business's last
 * message with its status — a failure explained by the error policy.
 */
import type { ConversationMessage, ConversationView } from '../ports/conversation-store.js';
import { errorPolicy } from './error-policy.js';
import { windowOpenUntil } from './service-window.js';

/** Quotes longer than this are shortened: the summary is a paragraph, not the transcript. */
export const QUOTE_MAX = 80;

/** `2026-01-01 09:05 UTC`: one unambiguous form whatever the reader's locale. */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `"${flat.length > QUOTE_MAX ? `${flat.slice(0, QUOTE_MAX - 1).trimEnd()}…` : flat}"`;
}

const MEDIA: Readonly<Record<string, string>> = {
  image: 'a photo',
  video: 'a video',
  audio: 'an audio message',
  document: 'a document',
  sticker: 'a sticker',
};

/** What a message was, in words: `said "…"`, `sent a photo`, `tapped 'Confirm order'`. */
export function describeMessage(m: Pick<ConversationMessage, 'type' | 'text'>): string {
  const text = m.text ?? undefined;
  const type = m.type ?? 'unknown';
  const media = MEDIA[type];
  if (media !== undefined) return text ? `sent ${media} (${quote(text)})` : `sent ${media}`;
  switch (type) {
    case 'text':
      return text ? `said ${quote(text)}` : 'sent a text';
    case 'button':
    case 'button_reply':
    case 'list_reply':
      return text ? `tapped '${text}'` : 'tapped a button';
    case 'location':
      return text ? `shared a location (${text})` : 'shared a location';
    case 'contacts':
      return 'shared a contact card';
    case 'reaction':
      return text ? `reacted ${text}` : 'removed a reaction';
    case 'order':
      return 'placed an order';
    case 'nfm_reply':
      return 'submitted a form';
    case 'call_permission_reply':
      return 'answered a call permission request';
    case 'template':
      return text ? `sent the template ${quote(text)}` : 'sent a template';
    default:
      return text ? `sent a ${type.replace(/_/g, ' ')} message (${quote(text)})` : 'sent a message';
  }
}

function who(c: ConversationView['contact']): string {
  const ids = [c.waId ? `+${c.waId}` : null, c.username ? `@${c.username}` : null].filter(Boolean);
  if (ids.length === 0 && c.userId) ids.push(`user ${c.userId}`);
  const id = ids.join(', ');
  if (c.name) return id ? `${c.name} (${id})` : c.name;
  return id || 'An unknown contact';
}

function volume(v: ConversationView): string {
  const total = v.inboundCount + v.outboundCount;
  const span =
    v.firstAt !== null && v.firstAt !== v.lastActivityAt
      ? ` between ${formatTime(v.firstAt)} and ${formatTime(v.lastActivityAt)}`
      : v.lastActivityAt > 0
        ? ` on ${formatTime(v.lastActivityAt)}`
        : '';
  const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  return `${plural(total, 'message')} (${v.inboundCount} from them, ${v.outboundCount} from the business)${span}.`;
}

function windowState(lastInboundAt: number | null, now: number): string {
  const until = windowOpenUntil(lastInboundAt);
  if (until === null) return 'They have not written yet, so only an approved template can be sent.';
  if (now < until) return `The 24-hour window is open until ${formatTime(until)}.`;
  return `The 24-hour window closed at ${formatTime(until)}; only an approved template can be sent now.`;
}

function statusPhrase(m: ConversationMessage): string {
  if (m.failed) {
    const e = m.errors[0];
    if (e === undefined) return 'it failed';
    const p = errorPolicy(e.code);
    const title = e.title ? ` ${e.title}` : '';
    return `it failed with error ${e.code ?? 'without a code'}${title}: ${p.meaning} (${p.category}; recommended: ${p.action.replace(/_/g, ' ')})`;
  }
  return m.status ? `it was ${m.status}` : 'no status has arrived for it yet';
}

function business(m: ConversationMessage | null): string {
  if (m === null) return 'The business has not written to them.';
  const when = m.at === null ? '' : ` on ${formatTime(m.at)}`;
  const what = m.type === null && m.text === null ? 'sent a message' : describeMessage(m);
  return `The business last ${what}${when}; ${statusPhrase(m)}.`;
}

export function conversationSummary(v: ConversationView, now: number): string {
  const parts = [`${who(v.contact)}: ${volume(v)}`];
  const last = v.lastUserMessage;
  if (last !== null)
    parts.push(
      `Last from them${last.at === null ? '' : ` (${formatTime(last.at)})`}: they ${describeMessage(last)}.`,
    );
  parts.push(windowState(v.lastInboundAt, now));
  parts.push(business(v.lastBusinessMessage));
  return parts.join(' ');
}
