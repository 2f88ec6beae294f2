/**
 * Wharf's JSON of events, messages and contacts: snake_case at every depth (README.md, "Read API"), as
 * the read API, the stream and destinations with format `event` send them. Pure: no I/O, so use
 * cases in app/ and the routes in api/ share it.
 */
import type { ContactView, MessageView, StoredEvent } from '../ports/read-store.js';
import { windowOpenUntil } from '../core/service-window.js';
import { snakeCaseKeys } from './snake-case-keys.js';
import { rawTextOf } from './raw-text.js';

const iso = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

export function eventJson(stored: StoredEvent) {
  return eventMembers(stored, snakeCaseKeys(stored.event.data), stored.event.raw);
}

/**
 * The JSON text of eventJson, with the event's `raw` spliced in as the JSON text it came as when it
 * is still text (raw-text.ts): the item is then neither parsed nor serialized again.
 */
export function eventJsonText(stored: StoredEvent): string {
  const rawText = rawTextOf(stored.event);
  if (rawText === undefined) return JSON.stringify(eventJson(stored));
  // `raw` undefined is left out by JSON.stringify; it is the last member, so it goes before the `}`.
  const head = JSON.stringify(eventMembers(stored, snakeCaseKeys(stored.event.data), undefined));
  return `${head.slice(0, -1)},"raw":${rawText}}`;
}

/** eventJsonText in pieces (eventJsonPieces): each member's JSON text, undefined when it is left out. */
export interface EventJsonPieces {
  /** The JSON of the members before `data` (an object: it ends with `}`). */
  readonly head: string;
  readonly data: string | undefined;
  readonly raw: string | undefined;
}

/**
 * eventJsonText as pieces for a writer that writes them one after another without joining them
 * (SseFrameWriter): the text is `head` without its closing `}`, then `,"data":` and `data`, and
 * `,"raw":` and `raw` (each when defined: the last two members, in this order), then `}`. `data`
 * apart from the head: a non-ASCII character (a contact's name) puts what follows it in a string
 * on the slow path of UTF-8 encoding, so it no longer takes the event's data with it
 * (docs/benchmarks.md, "Live streams and ingest"). `raw` is the JSON text it came as when it is
 * still text (raw-text.ts).
 */
export function eventJsonPieces(stored: StoredEvent): EventJsonPieces {
  const e = stored.event;
  const raw = rawTextOf(e) ?? (JSON.stringify(e.raw) as string | undefined);
  const data = JSON.stringify(snakeCaseKeys(e.data)) as string | undefined;
  return { head: JSON.stringify(eventMembers(stored, undefined, undefined)), data, raw };
}

/** Wharf's event JSON with `data` (already in snake_case) and `raw` as given: undefined leaves one out. */
function eventMembers({ id, event: e }: StoredEvent, data: unknown, raw: unknown) {
  const c = e.contact;
  return {
    id,
    name: e.name,
    key: e.key,
    field: e.field,
    occurred_at: iso(e.occurredAt),
    waba_id: e.wabaId,
    phone_number_id: e.phoneNumberId ?? null,
    contact: c
      ? {
          wa_id: c.waId ?? null,
          user_id: c.userId ?? null,
          parent_user_id: c.parentUserId ?? null,
          username: c.username ?? null,
          name: c.name ?? null,
        }
      : null,
    wamid: e.wamid ?? null,
    // The last two members: eventJsonPieces writes them after the others, in this order.
    data,
    // The item exactly as Meta sent it (keys included): unknown fields and new shapes stay visible.
    raw,
  };
}

/** `fallback` of the message JSON (docs/actions.md): the SMS sent (or skipped) in its place. */
export interface MessageFallback {
  readonly channel: string;
  readonly to: string | null;
  readonly state: string;
  readonly providerId: string | null;
  readonly at: number;
  readonly reason: string | null;
}

export function fallbackJson(f: MessageFallback | null) {
  return (
    f && {
      channel: f.channel,
      to: f.to,
      state: f.state,
      provider_id: f.providerId,
      at: iso(f.at),
      reason: f.reason,
    }
  );
}

export function messageJson(m: MessageView) {
  return {
    wamid: m.wamid,
    phone_number_id: m.phoneNumberId,
    direction: m.direction,
    type: m.type,
    status: m.status,
    statuses: m.statuses.map((s) => ({ status: s.status, at: iso(s.at) })),
    failed: m.failed,
    errors: m.errors,
    pricing: m.pricing && {
      category: m.pricing.category,
      type: m.pricing.type,
      pricing_model: m.pricing.model,
      billable: m.pricing.billable,
    },
    conversation: m.conversation && {
      id: m.conversation.id,
      origin: m.conversation.origin,
      expires_at: iso(m.conversation.expiresAt),
    },
    biz_opaque_callback_data: m.bizOpaqueCallbackData,
    preview: m.preview,
    media: m.media && {
      id: m.media.id,
      url: m.media.url,
      sha256: m.media.sha256,
      mime_type: m.media.mimeType,
      stored: m.media.stored,
      stored_url: m.media.storedUrl,
      size: m.media.size,
      error: m.media.error,
    },
    context: m.context && {
      id: m.context.id,
      from: m.context.from,
      forwarded: m.context.forwarded,
      frequently_forwarded: m.context.frequentlyForwarded,
    },
    contact: { wa_id: m.contact.waId, user_id: m.contact.userId },
    occurred_at: iso(m.occurredAt),
  };
}

export function contactJson(id: string, c: ContactView, now: number) {
  const until = windowOpenUntil(c.lastInboundAt);
  return {
    id,
    wa_id: c.waId,
    user_id: c.userId,
    parent_user_id: c.parentUserId,
    username: c.username,
    name: c.name,
    replaced_by: c.replacedBy,
    last_inbound_at: iso(c.lastInboundAt),
    window_open_until: iso(until),
    window_open: until !== null && now < until,
    marketing_opt_out: c.marketingOptOut?.optedOut ?? false,
    marketing_preference: c.marketingOptOut && {
      value: c.marketingOptOut.optedOut ? 'stop' : 'resume',
      source: c.marketingOptOut.source,
      at: iso(c.marketingOptOut.at),
    },
  };
}
