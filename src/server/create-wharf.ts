/**
 * The library entry (exported from src/index.ts): a Wharf whose handlers are registered, then
 * started with listen(). The wiring of a running process is start-server.ts.
 */
import type { WharfConfig } from '../config/load-config.js';
import { WharfError } from '../errors.js';
import { createMetrics, type Metrics } from '../observability/metrics.js';
import { createLogger, type Logger } from '../observability/create-logger.js';
import type { EventPattern, NamesMatching } from '../events/event-pattern.js';
import {
  HandlerRegistry,
  type HandlerErrorListener,
  type HandlerOptions,
  type WharfHandler,
} from '../app/handler-registry.js';
import type { HandlerRuntimeOptions } from '../app/start-handlers.js';
import { stopOnSignals } from '../app/stop-on-signals.js';
import { startServer, type RunningServer } from './start-server.js';
import type { DestinationsOptions } from './start-destinations.js';
import { conversationJson } from '../core/conversation-json.js';
import type { SendOptions } from '../app/send-service.js';
import { sentOrThrow, type SentMessage } from '../app/reply-context.js';

export interface CreateWharfOptions {
  readonly logger?: Logger;
  readonly now?: () => number;
  /** SQLite busy timeout for the inbox writer (tests shorten it). */
  readonly busyTimeoutMs?: number;
  /** Backoff schedule, poll interval and jitter source of the handler dispatcher (docs/handlers.md). */
  readonly handlers?: HandlerRuntimeOptions;
  /** listen() makes SIGTERM/SIGINT stop gracefully and exit 0 (default true); false leaves signals to you. */
  readonly handleSignals?: boolean;
  /** Destinations: the kinds' validation, SSRF check and transports (default: the real kinds); `false`: none. */
  readonly destinations?: DestinationsOptions | false;
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
   * The conversation with a contact (phone number or BSUID; `phoneNumberId` when they talk to
   * several numbers), the same object GET /api/v1/conversations/{id} answers; null when there is
   * none. After listen().
   */
  conversation(contact: string, phoneNumberId?: string): Promise<ReturnType<typeof conversationJson> | null>;
  /**
   * Sends Meta's message object plus `phone_number_id` (and optional `sms_fallback_text`) through the
   * same guards, record and idempotency as POST /api/v1/messages (docs/sending.md). Resolves when
   * Meta accepted it; rejects with a SendError (WINDOW_CLOSED, META_ERROR …) otherwise. After listen().
   */
  send(message: Readonly<Record<string, unknown>>, options?: SendOptions): Promise<SentMessage>;
}

export function createWharf(config: WharfConfig, options: CreateWharfOptions = {}): Wharf {
  const logger = options.logger ?? createLogger(config.logLevel);
  const metrics = createMetrics();
  const registry = new HandlerRegistry();
  const errorListeners: HandlerErrorListener[] = [];
  let running: Promise<RunningServer> | undefined;
  let closing: Promise<void> | undefined;
  let removeSignalHandlers = (): void => undefined;

  async function listen() {
    // A second call would open a second storage, dispatcher and server that close() never stops.
    if (running) throw new WharfError('ALREADY_LISTENING');
    for (const warning of config.warnings) logger.warn(warning);
    running = startServer({
      config,
      registry,
      errorListeners,
      metrics,
      logger,
      now: options.now ?? Date.now,
      ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
      ...(options.handlers ? { handlers: options.handlers } : {}),
      ...(options.destinations === undefined ? {} : { destinations: options.destinations }),
    });
    const { address } = await running;
    if (options.handleSignals !== false) removeSignalHandlers = stopOnSignals({ close, logger });
    return address;
  }

  async function shutdown() {
    // A listen() that failed has already stopped what it started.
    const server = await running?.catch(() => undefined);
    await server?.close();
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
    on: (pattern, handler, handlerOptions) => registry.on(pattern, handler, handlerOptions),
    onAny: (handler, handlerOptions) => registry.onAny(handler, handlerOptions),
    async conversation(contact, phoneNumberId) {
      if (!running)
        throw new WharfError('NOT_LISTENING', 'wharf.conversation() reads the database listen() opens');
      const { storage } = await running;
      const found = await storage.conversations.getConversation(contact, phoneNumberId);
      return found && conversationJson(found, (options.now ?? Date.now)(), true);
    },
    async send(message, sendOptions = {}) {
      if (!running)
        throw new WharfError('NOT_LISTENING', 'wharf.send() sends through the storage listen() opens');
      const { sending } = await running;
      return sentOrThrow(await sending.send(message, { ...sendOptions, via: sendOptions.via ?? 'library' }));
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
