import type { StoredEvent } from '../ports/read-store.js';
import { eventJsonText } from '../events/event-json.js';

/**
 * One event as a Server-Sent Events frame: its id is the stream's resume point (Last-Event-ID). A
 * `raw` still kept as JSON text (a commit of the processing thread) is spliced in as it is.
 */
export const sseFrame = (e: StoredEvent): string =>
  `id: ${e.id}\nevent: ${e.event.name}\ndata: ${eventJsonText(e)}\n\n`;
