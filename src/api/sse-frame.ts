import type { StoredEvent } from '../ports/read-store.js';
import { eventJsonText } from '../events/event-json.js';

/**
 * One event as a Server-Sent Events frame: its id is the stream's resume point (Last-Event-ID). A
 * `raw` still kept as JSON text (a commit of the processing thread) is spliced in as it is.
 */
export const sseFrame = (e: StoredEvent): string => `${sseFramePrefix(e)}${eventJsonText(e)}${END_OF_FRAME}`;

/** A frame up to its data (the event's JSON), and what ends it: SseFrameWriter writes the pieces apart. */
export const sseFramePrefix = (e: StoredEvent): string => `id: ${e.id}\nevent: ${e.event.name}\ndata: `;
export const END_OF_FRAME = '\n\n';
