import { randomBytes } from 'node:crypto';
import type { WharfConfig } from '../config/load-config.js';
import { createMetrics, type Metrics } from '../observability/metrics.js';
import { createLogger, type Logger } from '../observability/create-logger.js';
import { GroupCommitter } from './group-commit.js';
import { openStorage, type Storage } from './open-storage.js';
import { createHttpServer } from '../api/http-server.js';
import { serve, type Serving } from '../api/serve.js';
import { createApiRouter, type ApiRoute } from '../api/api-router.js';
import { deliveriesRoutes } from '../api/routes/deliveries-routes.js';
import { deadLettersRoutes } from '../api/routes/dead-letters-routes.js';
import type { EventPattern, NamesMatching } from '../events/router.js';
import {
  HandlerRegistry,
  type HandlerErrorListener,
  type WharfHandler,
  type HandlerOptions,
} from './handler-registry.js';
import { startHandlers, type HandlerRuntime, type HandlerRuntimeOptions } from './start-handlers.js';
import { roleParts } from './role-parts.js';
import { startProcessing, type ProcessingRuntime } from './start-processing.js';
import { stopOnSignals } from './stop-on-signals.js';
// Retention (issue 11 item 8): to move into the composition root with the rest of the wiring.
import { startRetention, type RetentionRuntime } from './start-retention.js';
import { openRetention } from './open-retention.js';
import { conversationJson } from '../api/conversation-json.js';

export interface CreateWharfOptions {
  readonly logger?: Logger;
  readonly now?: () => number;
  /** SQLite busy timeout for the inbox writer (tests shorten it). */
  readonly busyTimeoutMs?: number;
  /** Backoff schedule, poll interval and jitter source of the handler dispatcher (docs/handlers.md). */
  readonly handlers?: HandlerRuntimeOptions;
  /** listen() makes SIGTERM/SIGINT stop gracefully and exit 0 (default true); false leaves signals to you. */
  readonly handleSignals?: boolean;
}

export interface Wharf {
  /** Opens storage (applying migrations) and starts the HTTP server. Resolves with the bound address. */
  listen(): Promise<{ host: string; port: number }>;
  /** Graceful stop: no new connections, pending commits acknowledged, storage closed. */
  close(): Promise<void>;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly config: WharfConfig;
  /**
   * Registers a durable handler (before listen()): every matching event reaches it at least once,
   * retried with backoff, then kept as a dead letter. Returns the registration id (docs/handlers.md).
   */
  on<P extends EventPattern>(
    pattern: P | readonly P[],
    handler: WharfHandler<NamesMatching<P>>,
    options?: HandlerOptions,
  ): string;
  onAny(handler: WharfHandler, options?: HandlerOptions): string;
  /** Told about every failed handler attempt (retry or dead letter). Returns a function that removes the listener. */
  onError(listener: HandlerErrorListener): () => void;
  /**
   * The conversation with a contact (phone number or BSUID), as GET /api/v1/conversations/{id}
   * answers it; null when there is none. After listen().
   */
  conversation(contact: string, phoneNumberId?: string): Promise<ReturnType<typeof conversationJson> | null>;
}

export function createWharf(config: WharfConfig, options: CreateWharfOptions = {}): Wharf {
  const logger = options.logger ?? createLogger(config.logLevel);
  const now = options.now ?? Date.now;
  const metrics = createMetrics();
  const bootId = randomBytes(3).toString('hex');
  let requestCounter = 0;
  let storage: Storage | undefined;
  let committer: GroupCommitter | undefined;
  let serving: Serving | undefined;
  const handlers = new HandlerRegistry();
  const errorListeners: HandlerErrorListener[] = [];
  let handlerRuntime: HandlerRuntime | null = null;
  let processing: ProcessingRuntime | null = null;
  let retention: RetentionRuntime | null = null;

  let listening = false;
  let removeSignalHandlers = (): void => undefined;

  async function listen() {
    // A second call would open a second storage, dispatcher and server that close() never stops.
    if (listening) throw new Error('listen() was already called on this Wharf');
    listening = true;
    for (const w of config.warnings) logger.warn(w);
    storage = await openStorage(config, {
      migrate: true,
      now,
      ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
    });
    // Every role serves the webhook: the first one after a start must not wait for the writer thread
    // to boot and load the dedupe window (seconds on a large inbox), nor for a first connection.
    // A storage that cannot be written right now is not a reason to refuse to start: webhooks get
    // 503 until it can, as they would later.
    await storage.inbox
      .warmUp()
      .catch((err: unknown) =>
        logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'inbox warm-up failed'),
      );
    const c = new GroupCommitter(storage.inbox, {
      maxPending: config.maxPendingCommits,
      onCommit: (size, ms) => {
        metrics.commitBatchSize.observe(size);
        metrics.commitDuration.observe(ms / 1000);
      },
    });
    committer = c;
    metrics.setPendingSource(() => c.pending);
    handlers.seal('listen()');
    const hr = await startHandlers({
      config,
      registry: handlers,
      errorListeners,
      metrics,
      logger,
      now,
      dispatch: roleParts(config.role).dispatcher,
      ...(options.handlers ? { options: options.handlers } : {}),
    });
    handlerRuntime = hr;
    const p = startProcessing({
      config,
      registry: metrics.registry,
      logger,
      now,
      targets: handlers.targets,
      run: roleParts(config.role).processor,
      afterCommit: (o) => (o.outboxRows > 0 ? hr?.wake() : undefined),
      ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
    });
    processing = p;
    if (roleParts(config.role).processor && config.retentionDays > 0)
      retention = startRetention({ retention: openRetention(config), config, logger, metrics, now });
    const routes: ApiRoute[] = [
      ...deliveriesRoutes(storage.inbox),
      ...(hr ? deadLettersRoutes(hr.outbox, hr.wake, now) : []),
    ];
    routes.push(...(p ? p.routes(() => routes) : []));
    const webhook = {
      appSecrets: config.appSecrets,
      verifyToken: config.verifyToken,
      maxBodyBytes: config.maxBodyBytes,
      retryAfterSeconds: config.retryAfterSeconds,
      committer: c,
      metrics,
      logger,
      now,
      nextRequestId: () => `${bootId}-${(++requestCounter).toString(36)}`,
      ...(p ? { onStored: p.wake } : {}),
    };
    const http = createHttpServer({
      webhookPath: config.webhookPath,
      inbox: storage.inbox,
      metrics,
      logger,
      api: createApiRouter(config.apiToken, routes),
      webhook,
    });
    serving = await serve(http, webhook, {
      port: config.port,
      host: config.host,
      webhookPath: config.webhookPath,
    });
    if (options.handleSignals !== false) removeSignalHandlers = stopOnSignals({ close, logger });
    const addr = serving.address;
    logger.info(
      { host: addr.address, port: addr.port, storage: storage.kind, webhookPath: config.webhookPath },
      'wharf listening',
    );
    return { host: addr.address, port: addr.port };
  }

  let closing: Promise<void> | null = null;
  async function shutdown() {
    // WHARF_SHUTDOWN_TIMEOUT_MS bounds the whole shutdown: each stage gets what the ones before it
    // left (a slow HTTP drain and then a hanging handler each took the full bound, one after the other).
    const deadline = performance.now() + config.shutdownTimeoutMs;
    const left = () => Math.max(0, deadline - performance.now());
    // Long-polls and SSE streams end first, so the server does not wait for them to hang up.
    processing?.closeLive();
    await serving?.close(() => committer?.drain() ?? Promise.resolve(), left());
    await processing?.stop();
    await retention?.stop();
    await handlerRuntime?.stop(left());
    await storage?.close();
    removeSignalHandlers();
    logger.info('wharf stopped');
    logger.flush();
  }
  // A second call (SIGTERM, then SIGINT) waits for the same shutdown instead of closing closed parts.
  const close = () => (closing ??= shutdown());

  return {
    listen,
    close,
    metrics,
    logger,
    config,
    on: (pattern, handler, opts) => handlers.on(pattern, handler, opts),
    onAny: (handler, opts) => handlers.onAny(handler, opts),
    async conversation(contact, phoneNumberId) {
      const store = processing?.conversations;
      if (!store)
        throw new Error('wharf.conversation() needs listen() first, on a database with conversations');
      const c = await store.getConversation(contact, phoneNumberId);
      return c && conversationJson(c, now(), true);
    },
    onError(listener) {
      errorListeners.push(listener);
      return () => {
        const i = errorListeners.indexOf(listener);
        if (i >= 0) errorListeners.splice(i, 1);
      };
    },
  };
}
