/**
 * The media item an event carries, if any: inbound messages (`message.image` …), the business app's
 * echoes and history sync (docs/sending.md, "Media": every inbound media item — messages, echoes, history),
 * and an edit whose new content is media. Pure.
 */
import type { AnyWharfEvent } from '../../events/wharf-event.js';
import type { MediaInfo, MessageContent } from '../../events/event-data.js';

export interface MediaItem {
  readonly mediaId: string;
  readonly phoneNumberId: string | null;
  readonly wamid: string | null;
  readonly mimeType: string | null;
  /** As Meta sent it: base64 in `messages`, hex in history and edits (Meta's media page). */
  readonly sha256: string | null;
  /** The webhook's own download url (rolled out from 2025-11), tried before asking for a fresh one. */
  readonly url: string | null;
  readonly occurredAt: number | null;
}

const MEDIA_KINDS = new Set(['image', 'video', 'audio', 'document', 'sticker']);

function mediaOfContent(content: MessageContent | undefined): MediaInfo | undefined {
  if (content === undefined) return undefined;
  if (content.kind === 'edit') return mediaOfContent(content.message);
  if (MEDIA_KINDS.has(content.kind)) return (content as { media: MediaInfo }).media;
  return undefined;
}

function contentOf(event: AnyWharfEvent): MessageContent | undefined {
  if (event.name === 'echo.message' || event.name === 'history.message') return event.data.content;
  if (event.name.startsWith('message.')) return event.data as MessageContent;
  return undefined;
}

export function mediaOfEvent(event: AnyWharfEvent): MediaItem | null {
  const media = mediaOfContent(contentOf(event));
  if (media?.id === undefined || media.id === '') return null;
  return {
    mediaId: media.id,
    phoneNumberId: event.phoneNumberId ?? null,
    wamid: event.wamid ?? null,
    mimeType: media.mimeType ?? null,
    sha256: media.sha256 ?? null,
    url: media.url ?? null,
    occurredAt: event.occurredAt,
  };
}
