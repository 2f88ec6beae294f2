/** A message's content → the few columns the state keeps (type, preview, media, context). */
import type { MessageContent, MessageContext } from '../events/event-data.js';
import type { MessageSummary } from './state-change.js';

/** Previews are for lists and dashboards; the full content stays in the event. */
export const PREVIEW_MAX = 200;

function clip(s: string | undefined): string | undefined {
  if (s === undefined || s === '') return undefined;
  return s.length > PREVIEW_MAX ? s.slice(0, PREVIEW_MAX) : s;
}

function previewOf(c: MessageContent): string | undefined {
  switch (c.kind) {
    case 'text':
      return c.body;
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker':
      return c.media.caption ?? c.media.filename;
    case 'button':
      return c.text ?? c.payload;
    case 'button_reply':
    case 'list_reply':
      return c.title ?? c.id;
    case 'reaction':
      return c.emoji;
    case 'location':
      return c.name ?? c.address;
    case 'order':
      return c.text;
    case 'system':
      return c.body;
    case 'nfm_reply':
      return c.body;
    case 'edit':
      return previewOf(c.message);
    default:
      return undefined;
  }
}

function media(c: MessageContent) {
  switch (c.kind) {
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker':
      return c.media;
    default:
      return undefined;
  }
}

export function summarizeMessage(
  direction: 'inbound' | 'outbound',
  content: MessageContent,
  context: MessageContext | undefined,
): MessageSummary {
  const m = media(content);
  return {
    direction,
    type: content.kind,
    preview: clip(previewOf(content)),
    mediaId: m?.id,
    mediaUrl: m?.url,
    mediaSha256: m?.sha256,
    mediaMimeType: m?.mimeType,
    contextId: context?.id,
    contextFrom: context?.from,
    forwarded: context?.forwarded,
    frequentlyForwarded: context?.frequentlyForwarded,
  };
}
