/**
 * The one handler type: what `createRouter().on` and `wharf.on` are given. A router handler takes
 * the event alone; a `wharf.on` handler is run from the outbox and also gets the attempt's context
 * (`Handler<N, HandlerContext>`), so a router handler can be registered there as is.
 */
import type { EventName } from './event-names.js';
import type { WharfEvent } from './wharf-event.js';

/** The discriminated union of events for a set of names (so `event.name` narrows `event.data`). */
export type EventOf<N extends EventName> = { [K in N]: WharfEvent<K> }[N];

/**
 * May return a promise (awaited); the return value is ignored. Without a context it takes the
 * event alone, which makes it assignable to the same handler with any context.
 */
export type Handler<N extends EventName = EventName, Context = never> = [Context] extends [never]
  ? (event: EventOf<N>) => unknown
  : (event: EventOf<N>, ctx: Context) => unknown;
