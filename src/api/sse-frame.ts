import type { StoredEvent } from '../ports/read-store.js';
import { eventJson } from '../events/event-json.js';

/** One event as a Server-Sent Events frame: its id is the stream's resume point (Last-Event-ID). */
export const sseFrame = (e: StoredEvent): string =>
  `id: ${e.id}\nevent: ${e.event.name}\ndata: ${JSON.stringify(eventJson(e))}\n\n`;
