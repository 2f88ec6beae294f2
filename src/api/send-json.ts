/**
 * What the message JSON (GET /api/v1/messages/{wamid or send id}) shows of a send made through
 * Wharf: `send` (its record: state, forced, idempotency key, SMS fallback text, Meta's error or
 * what happened instead of an answer) and `fallback` (the SMS fallback). A send that
 * no status has reached yet is shown from its record alone.
 */
import { sendStateAt, type SendRecord } from '../ports/send-store.js';
import type { MessageView } from '../ports/read-store.js';
import { fallbackJson as messageFallbackJson } from '../events/event-json.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function sendJson(s: SendRecord, now: number) {
  const o = s.outcome ?? {};
  return {
    id: s.id,
    state: sendStateAt(s, now),
    forced: s.forced,
    idempotency_key: s.idempotencyKey,
    sms_fallback_text: s.smsFallbackText,
    http_status: s.httpStatus,
    fbtrace_id: s.fbtraceId,
    meta_error: (o.meta_error as Record<string, unknown> | undefined) ?? null,
    created_at: iso(s.createdAt),
    answered_at: iso(s.answeredAt),
  };
}

export function fallbackJson(s: SendRecord | null) {
  return messageFallbackJson(s?.fallback ?? null);
}

/** The message as its record knows it, before (or without) any status from Meta. */
export function messageFromSend(s: SendRecord): MessageView {
  let preview: string | null = null;
  try {
    const m = JSON.parse(s.message) as { text?: { body?: unknown } };
    if (typeof m.text?.body === 'string') preview = m.text.body;
  } catch {
    // A record always holds JSON; a preview is only a nicety.
  }
  return {
    wamid: s.wamid as string,
    phoneNumberId: s.phoneNumberId,
    direction: 'outbound',
    type: s.type,
    status: null,
    statuses: [],
    failed: false,
    errors: [],
    pricing: null,
    conversation: null,
    bizOpaqueCallbackData: null,
    preview: preview ?? (s.templateName === null ? null : `template ${s.templateName}`),
    media: null,
    context: null,
    contact: {
      waId: s.waId ?? (s.recipientKind === 'phone' ? s.recipient.replace(/\D/g, '') : null),
      userId: s.userId ?? (s.recipientKind === 'bsuid' ? s.recipient : null),
    },
    occurredAt: s.createdAt,
  };
}
