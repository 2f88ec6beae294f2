import type { Storage } from '../ports/storage.js';
import type { ApiRoute } from '../api/api-router.js';
import type { LiveConnections } from '../api/live-connections.js';
import { deliveriesRoutes } from '../api/routes/deliveries-routes.js';
import { deadLettersRoutes } from '../api/routes/dead-letters-routes.js';
import { eventsRoutes } from '../api/routes/events-routes.js';
import { messagesRoutes } from '../api/routes/messages-routes.js';
import { contactsRoutes } from '../api/routes/contacts-routes.js';
import { streamRoutes } from '../api/routes/stream-routes.js';
import { openApiRoutes } from '../api/routes/openapi-routes.js';
import { conversationsRoutes } from '../api/routes/conversations-routes.js';

export interface ApiRoutesArgs {
  readonly storage: Storage;
  /** Long-polls and SSE streams, ended first on shutdown. */
  readonly live: LiveConnections;
  /** Something was queued again (replay): the dispatcher and processor of this process look now. */
  readonly wake: () => void;
  readonly now: () => number;
  /** WHARF_MAX_STREAMS. */
  readonly maxStreams?: number;
  /** Routes of optional parts (destinations), listed in the OpenAPI document like the rest. */
  readonly more?: readonly ApiRoute[];
}

/** Every /api/v1 route, each on the port it reads or writes; the OpenAPI document lists them all. */
export function apiRoutes({ storage, live, wake, now, maxStreams, more = [] }: ApiRoutesArgs): ApiRoute[] {
  const routes: ApiRoute[] = [
    ...deliveriesRoutes(storage.inbox),
    ...deadLettersRoutes(storage.outbox, wake, now),
    ...eventsRoutes(storage.reads),
    ...messagesRoutes(storage.reads, live, storage.sends, now, (wamid) => storage.actions.fallback(wamid)),
    ...contactsRoutes(storage.reads, now),
    ...streamRoutes(storage.reads, live, maxStreams === undefined ? {} : { maxStreams }),
    ...more,
    ...conversationsRoutes(storage.conversations, now),
  ];
  routes.push(...openApiRoutes(() => routes));
  return routes;
}
