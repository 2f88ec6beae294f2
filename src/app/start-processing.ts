/**
 * The processing side of one Wharf process: the processing store, the processor (when the role
 * runs one) and the events / messages / contacts / stream / OpenAPI routes that read the state.
 */
import type { Registry } from 'prom-client';
import type { WharfConfig } from '../config/load-config.js';
import type { Logger } from '../observability/create-logger.js';
import type { OutboxTarget } from '../ports/outbox-target.js';
import type { CommitOutcome, ProcessingStore } from '../ports/processing-store.js';
import type { ApiRoute } from '../api/api-router.js';
import { createProcessingMetrics } from '../observability/processing-metrics.js';
import { LiveConnections } from '../api/live-connections.js';
import { eventsRoutes } from '../api/routes/events-routes.js';
import { messagesRoutes } from '../api/routes/messages-routes.js';
import { contactsRoutes } from '../api/routes/contacts-routes.js';
import { streamRoutes } from '../api/routes/stream-routes.js';
import { openApiRoutes } from '../api/routes/openapi-routes.js';
// Conversations (issue 15): to move into the composition root with the rest of the wiring.
import { conversationsRoutes } from '../api/routes/conversations-routes.js';
import type { ConversationStore } from '../ports/conversation-store.js';
import { openConversationStore } from './open-conversation-store.js';
import { openProcessingStore } from './open-processing-store.js';
import { Processor } from './processor.js';

export interface StartProcessingArgs {
  readonly config: WharfConfig;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly now: () => number;
  readonly targets: ReadonlyArray<OutboxTarget>;
  /** Runs the processor in this process (roles `worker` and `all`). */
  readonly run: boolean;
  /** Called after a batch wrote outbox rows (wakes the dispatcher). */
  readonly afterCommit?: (outcome: CommitOutcome) => void;
  readonly busyTimeoutMs?: number;
}

export interface ProcessingRuntime {
  readonly store: ProcessingStore;
  readonly processor: Processor | null;
  readonly conversations: ConversationStore | null;
  /** The read API; `all` lists every /api/v1 route for the OpenAPI document. */
  routes(all: () => readonly ApiRoute[]): ApiRoute[];
  /** A delivery was stored: process it now (no polling delay). */
  readonly wake: () => void;
  /** Ends long-polls and SSE streams (first step of a graceful stop). */
  closeLive(): void;
  /** Finishes the batch in flight, then closes the store. */
  stop(): Promise<void>;
}

export function startProcessing(a: StartProcessingArgs): ProcessingRuntime | null {
  const store = openProcessingStore(
    a.config,
    a.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: a.busyTimeoutMs },
  );
  if (store === null) {
    a.logger.warn('event processing and its API have no adapter for this DATABASE_URL');
    return null;
  }
  const live = new LiveConnections();
  const conversations = openConversationStore(
    a.config,
    a.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: a.busyTimeoutMs },
  );
  const processor = a.run
    ? new Processor({
        store,
        targets: a.targets,
        logger: a.logger,
        metrics: createProcessingMetrics(a.registry),
        now: a.now,
        batchSize: a.config.batchSize,
        leaseMs: a.config.leaseSeconds * 1000,
        // Without an ingress in this process there is no 200 to protect: take whole batches.
        targetBatchMs: a.config.role === 'worker' ? Infinity : 10,
        ...(a.afterCommit ? { afterCommit: a.afterCommit } : {}),
      })
    : null;
  processor?.start();
  // Deliveries stored by ingress processes elsewhere (PostgreSQL NOTIFY): start now, not at the next poll.
  const unlisten = processor ? store.onDeliveries?.(() => processor.wake()) : undefined;
  return {
    store,
    processor,
    conversations,
    routes: (all) => [
      ...eventsRoutes(store),
      ...messagesRoutes(store, live),
      ...contactsRoutes(store, a.now),
      ...(conversations ? conversationsRoutes(conversations, a.now) : []),
      ...streamRoutes(store, live),
      ...openApiRoutes(all),
    ],
    wake: () => processor?.wake(),
    closeLive: () => live.closeAll(),
    async stop() {
      live.closeAll();
      unlisten?.();
      await processor?.stop();
      await store.close();
      await conversations?.close();
    },
  };
}
