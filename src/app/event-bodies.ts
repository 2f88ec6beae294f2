/**
 * Format `event` bodies of recently sent events, by event id: an event going to several
 * destinations is serialized once, not once per destination. Bounded; the oldest go first. Kept
 * only while several destinations make such bodies (`shared`): with one, no body is ever asked for
 * twice, and keeping the last 4,096 (about 1 KB each) made every one survive the young
 * generation's collections, a key string and two map operations per event for nothing.
 */
import type { AnyWharfEvent } from '../events/wharf-event.js';
import { eventBody } from './outbound-message.js';

const KEEP = 4096;

export class EventBodies {
  private readonly bodies = new Map<string, string>();

  body(stored: { readonly id: string; readonly event: AnyWharfEvent }, shared: boolean): string {
    // Wharf's own events stored without an id (id '') are never shared.
    if (!shared || stored.id === '') {
      if (this.bodies.size > 0) this.bodies.clear();
      return eventBody(stored);
    }
    const key = `${stored.id}\n${stored.event.key}`;
    let body = this.bodies.get(key);
    if (body === undefined) {
      body = eventBody(stored);
      this.bodies.set(key, body);
      if (this.bodies.size > KEEP) this.bodies.delete(this.bodies.keys().next().value as string);
    }
    return body;
  }
}
