/**
 * A conversation as the API answers it (snake_case, ISO-8601 times) and as destinations of format
 * `conversation` post it. Pure, so the API, the library and the destinations runtime share it.
 */
import type { ConversationMessage, ConversationView } from '../ports/conversation-store.js';
import { conversationSummary } from './conversation-summary.js';
import { windowOpenUntil } from './service-window.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** Meta's media id until media capture stores the file, then the file's URL on this Wharf. */
const mediaUrl = (id: string | null, stored: boolean): string | null =>
  id !== null && stored ? `/api/v1/media/${encodeURIComponent(id)}` : id;

export function conversationMessageJson(m: ConversationMessage) {
  return {
    wamid: m.wamid,
    direction: m.direction,
    type: m.type,
    text: m.text,
    media_url: mediaUrl(m.mediaId, m.mediaStored),
    status: m.status,
    at: iso(m.at),
  };
}

export function conversationJson(v: ConversationView, now: number, withRecent: boolean) {
  const user = v.lastUserMessage;
  const biz = v.lastBusinessMessage;
  return {
    contact: {
      wa_id: v.contact.waId,
      user_id: v.contact.userId,
      username: v.contact.username,
      name: v.contact.name,
    },
    phone_number_id: v.phoneNumberId,
    summary: conversationSummary(v, now),
    last_user_message: user && { text: user.text, type: user.type, at: iso(user.at) },
    last_business_message: biz && { text: biz.text, type: biz.type, status: biz.status, at: iso(biz.at) },
    window_open_until: iso(windowOpenUntil(v.lastInboundAt)),
    media_url: mediaUrl(v.latestMedia?.id ?? null, v.latestMedia?.stored ?? false),
    message_count: { inbound: v.inboundCount, outbound: v.outboundCount },
    first_at: iso(v.firstAt),
    last_activity_at: iso(v.lastActivityAt),
    note: v.note,
    automation_notes: v.automationNotes,
    labels: [...v.labels],
    ...(withRecent ? { recent_messages: v.recentMessages.map(conversationMessageJson) } : {}),
  };
}

const unix = (ms: number | null | undefined): number | null =>
  ms === null || ms === undefined ? null : Math.floor(ms / 1000);

/**
 * The flat body of the `conversation` destination format: the shape BSPs post to their customers'
 * endpoints (labels comma-separated, times in Unix seconds), built from the same conversation the
 * API answers. Posted on inbound messages by src/app/destination-runtime.ts, debounced per contact
 * by the destination's batch_window_ms.
 */
export function conversationDestinationJson(v: ConversationView, now: number) {
  const user = v.lastUserMessage;
  const biz = v.lastBusinessMessage;
  return {
    messages: v.recentMessages.map(conversationMessageJson),
    summary: conversationSummary(v, now),
    phone: v.contact.waId,
    name: v.contact.name,
    user_id: v.contact.userId,
    last_user_message: user?.text ?? null,
    last_system_message: biz?.text ?? null,
    message_type: user?.type ?? null,
    last_user_message_at_unix: unix(user?.at),
    last_system_message_at_unix: unix(biz?.at),
    media_url: mediaUrl(v.latestMedia?.id ?? null, v.latestMedia?.stored ?? false),
    note: v.note,
    automation_notes: v.automationNotes,
    labels: v.labels.join(','),
  };
}
