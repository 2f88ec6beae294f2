import { join } from 'node:path';
/**
 * One running Wharf process: storage (migrated), the group commit, the handler dispatcher, the
 * processor where the role runs one, the API routes and the HTTP listener, wired together, and
 * the graceful stop that takes them down in order.
 */
import { randomBytes } from 'node:crypto';
import type { WharfConfig } from '../config/load-config.js';
import type { Logger } from '../observability/create-logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Storage } from '../ports/storage.js';
import type { AnyWharfEvent } from '../events/wharf-event.js';
import { GroupCommitter } from '../app/group-commit.js';
import type { HandlerErrorListener, HandlerRegistry } from '../app/handler-registry.js';
import { startHandlers, type HandlerRuntime, type HandlerRuntimeOptions } from '../app/start-handlers.js';
import { startProcessing, type ProcessingRuntime } from '../app/start-processing.js';
import { roleParts } from '../app/role-parts.js';
import { startRetention, type RetentionRuntime } from '../app/start-retention.js';
import { createHttpServer } from '../api/http-server.js';
import { serve, type Serving } from '../api/serve.js';
import { createApiRouter } from '../api/api-router.js';
import { createUiHandler } from '../api/ui-static.js';
import { packageRoot } from '../util/package-root.js';
import { LiveConnections } from '../api/live-connections.js';
import type { WebhookDeps } from '../api/webhook-deps.js';
import { ByteBudget } from '../api/byte-budget.js';
import { DeliveryLog } from '../observability/delivery-log.js';
import { RefusalLog } from '../observability/refusal-log.js';
import { openStorage } from './open-storage.js';
import { apiRoutes } from './api-routes.js';
import { listenStartFailure, storageStartFailure } from './start-failure.js';
import { startDestinations, type DestinationsOptions, type DestinationsPart } from './start-destinations.js';
import { openDestinationKinds } from './open-destination-kinds.js';
import { startMedia, type MediaPart } from './start-media.js';
import { startSending, type SendingPart } from './start-sending.js';
import { sendRoutes } from '../api/routes/send-routes.js';
import type { SendService } from '../app/send-service.js';

export interface ServerParts {
  readonly config: WharfConfig;
  readonly registry: HandlerRegistry;
  readonly errorListeners: readonly HandlerErrorListener[];
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly now: () => number;
  readonly busyTimeoutMs?: number;
  readonly handlers?: HandlerRuntimeOptions;
  /** Destination kinds (default: the real ones, src/server/open-destination-kinds.ts); `false`: none. */
  readonly destinations?: DestinationsOptions | false;
  /** How often the media worker looks for due downloads without a wake-up (default 1 s). */
  readonly mediaPollMs?: number;
}

export interface RunningServer {
  readonly address: { readonly host: string; readonly port: number };
  /** The ports of this process's database (what the library reads, e.g. wharf.conversation()). */
  readonly storage: Storage;
  /** Sends through the Cloud API (wharf.send()). */
  readonly sending: SendService;
  /** Graceful stop within WHARF_SHUTDOWN_TIMEOUT_MS: no new connections, pending commits acknowledged, storage closed. */
  close(): Promise<void>;
}

interface Started {
  readonly storage: Storage;
  readonly committer: GroupCommitter;
  readonly handlers: HandlerRuntime;
  readonly processing: ProcessingRuntime | null;
  /** Background retention, in processing roles while WHARF_RETENTION_DAYS is above 0. */
  readonly retention: RetentionRuntime | null;
  readonly destinations: DestinationsPart | null;
  readonly media: MediaPart;
  readonly sending: SendingPart;
  readonly live: LiveConnections;
  readonly deliveryLog: DeliveryLog;
}

export async function startServer(parts: ServerParts): Promise<RunningServer> {
  const storage = await openMigrated(parts);
  let started: Started | undefined;
  try {
    started = await startParts(parts, storage);
    const serving = await listen(parts, started);
    const address = { host: serving.address.address, port: serving.address.port };
    parts.logger.info(
      { ...address, storage: storage.label, webhookPath: parts.config.webhookPath },
      'wharf listening',
    );
    return {
      address,
      storage,
      sending: started.sending.service,
      close: () => stop(parts, started as Started, serving),
    };
  } catch (err) {
    // Whatever started must stop, or its timers, threads and sockets keep the process alive.
    started?.live.closeAll();
    await started?.processing?.stop();
    await started?.retention?.stop();
    await started?.handlers.stop(0);
    await started?.destinations?.stop(0);
    await started?.sending.close();
    await started?.media.stop();
    await storage.close();
    throw err;
  }
}

/**
 * Every role serves the webhook: the first one after a start must not wait for the writer thread
 * to boot and load the dedupe window (seconds on a large inbox), nor for a first connection. A
 * storage that cannot be written right now is not a reason to refuse to start: webhooks get 503
 * until it can, as they would later.
 */
async function openMigrated(parts: ServerParts): Promise<Storage> {
  const busy = parts.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: parts.busyTimeoutMs };
  const storage = openStorage(parts.config, busy);
  try {
    await storage.migrate(parts.now());
  } catch (err) {
    await storage.close();
    throw storageStartFailure(err, parts.config);
  }
  await storage.inbox.warmUp().catch((err: unknown) => {
    parts.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'inbox warm-up failed');
  });
  return storage;
}

async function startParts(parts: ServerParts, storage: Storage): Promise<Started> {
  const { config, metrics, logger, now } = parts;
  const committer = new GroupCommitter(storage.inbox, {
    maxPending: config.maxPendingCommits,
    maxQueueMs: config.maxQueueMs,
    answerDeadlineMs: config.answerDeadlineMs,
    onCommit: (size, ms) => {
      metrics.commitBatchSize.observe(size);
      metrics.commitDuration.observe(ms / 1000);
    },
  });
  metrics.setPendingSource(() => committer.pending);
  parts.registry.seal('listen()');
  // Sends refused by a guard are emitted through the destinations runtime once it exists.
  let emitThrough: ((event: AnyWharfEvent) => Promise<void>) | undefined;
  const sending = startSending({
    config,
    storage,
    logger,
    now,
    emit: (event) =>
      emitThrough
        ? emitThrough(event)
        : storage.destinations.recordEvent(event, [], now()).then(() => undefined),
  });
  parts.registry.useSender((body, options) => sending.service.send(body, options));
  const role = roleParts(config.role);
  const deliveryLog = new DeliveryLog(logger, {
    enabled: config.logDeliveries,
    maxPerSecond: config.logDeliveriesPerSecond,
  });
  const handlers = await startHandlers({
    config,
    outbox: storage.outbox,
    registry: parts.registry,
    errorListeners: parts.errorListeners,
    metrics,
    logger,
    now,
    dispatch: role.dispatcher,
    ...(parts.handlers ? { options: parts.handlers } : {}),
    onDeadLetter: (report) => destinations?.runtime.deadLetter(report),
  });
  const destinations =
    parts.destinations === false
      ? null
      : await startDestinations({
          config,
          storage,
          options: parts.destinations ?? { kinds: openDestinationKinds(config) },
          registry: metrics.registry,
          logger,
          now,
          dispatch: role.dispatcher,
        });
  if (destinations) emitThrough = (event) => destinations.runtime.emit(event, null);
  const media = startMedia({
    config,
    storage,
    logger,
    now,
    processing: role.processor,
    registry: metrics.registry,
    emit: (event) =>
      emitThrough
        ? emitThrough(event)
        : storage.destinations.recordEvent(event, [], now()).then(() => undefined),
    ...(parts.mediaPollMs === undefined ? {} : { pollMs: parts.mediaPollMs }),
  });
  const processing = role.processor
    ? startProcessing({
        config,
        store: storage.processing,
        registry: metrics.registry,
        logger,
        now,
        targets: destinations
          ? () => [...parts.registry.targets, ...destinations.targets(), ...media.targets]
          : [...parts.registry.targets, ...media.targets],
        afterCommit: (outcome) => {
          deliveryLog.processed(outcome);
          if (outcome.outboxRows === 0) return;
          handlers.wake();
          destinations?.runtime.wake();
          media.wake();
        },
      })
    : null;
  const retention =
    role.processor && config.retentionDays > 0
      ? startRetention({ retention: storage.retention, config, logger, metrics, now })
      : null;
  return {
    storage,
    committer,
    handlers,
    processing,
    retention,
    destinations,
    media,
    sending,
    live: new LiveConnections(),
    deliveryLog,
  };
}

async function listen(parts: ServerParts, started: Started): Promise<Serving> {
  const { config, metrics, logger, now } = parts;
  const { storage, handlers, processing } = started;
  const bootId = randomBytes(3).toString('hex');
  let requestCounter = 0;
  const webhook: WebhookDeps = {
    appSecrets: config.appSecrets,
    verifyToken: config.verifyToken,
    maxBodyBytes: config.maxBodyBytes,
    retryAfterSeconds: config.retryAfterSeconds,
    committer: started.committer,
    metrics,
    logger,
    now,
    nextRequestId: () => `${bootId}-${(++requestCounter).toString(36)}`,
    deliveryLog: started.deliveryLog,
    refusalLog: new RefusalLog(logger),
    bodyBudget: new ByteBudget(config.maxBufferedBytes),
    ...(processing ? { onStored: processing.wake } : {}),
  };
  const wake = () => {
    handlers.wake();
    started.destinations?.runtime.wake();
    processing?.wake();
  };
  const routes = apiRoutes({
    storage,
    live: started.live,
    wake,
    now,
    maxStreams: config.maxStreams,
    more: [
      ...(started.destinations?.routes() ?? []),
      ...sendRoutes(started.sending.service),
      ...started.media.routes,
    ],
  });
  const http = createHttpServer({
    webhookPath: config.webhookPath,
    inbox: storage.inbox,
    metrics,
    logger,
    api: createApiRouter(config.apiToken, routes),
    ui: createUiHandler(join(packageRoot(), 'dist', 'ui')),
    webhook,
    requestTimeoutMs: config.requestTimeoutMs,
    writeProblem: () => started.committer.writeProblem(config.answerDeadlineMs),
  });
  try {
    return await serve(http, webhook, {
      port: config.port,
      host: config.host,
      webhookPath: config.webhookPath,
      maxBufferedBytes: config.maxBufferedBytes,
      requestTimeoutMs: config.requestTimeoutMs,
      shutdownGraceMs: Math.min(config.shutdownGraceMs, config.shutdownTimeoutMs),
      sources: { allowedCidrs: config.allowedSourceCidrs, trustedProxies: config.trustedProxies },
      badSignatures: { burst: config.badSignatureBurst, perSecond: config.badSignaturePerSecond },
    });
  } catch (err) {
    throw listenStartFailure(err, config);
  }
}

/**
 * WHARF_SHUTDOWN_TIMEOUT_MS bounds the whole shutdown: each stage gets what the ones before it left
 * (a slow HTTP drain and then a hanging handler each took the full bound, one after the other).
 */
async function stop(parts: ServerParts, started: Started, serving: Serving): Promise<void> {
  const deadline = performance.now() + parts.config.shutdownTimeoutMs;
  const left = () => Math.max(0, deadline - performance.now());
  // Long-polls and SSE streams end first, so the server does not wait for them to hang up.
  started.live.closeAll();
  await serving.close(() => started.committer.drain(), left());
  await started.processing?.stop();
  await started.retention?.stop();
  await started.handlers.stop(left());
  await started.destinations?.stop(left());
  await started.sending.close();
  await started.media.stop();
  await started.storage.close();
}
