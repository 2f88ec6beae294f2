import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { WharfConfig } from '../config/load-config.js';
import { createMetrics, type Metrics } from '../observability/metrics.js';
import { createLogger, type Logger } from '../observability/create-logger.js';
import { GroupCommitter } from './group-commit.js';
import { openStorage, type Storage } from './open-storage.js';
import { createHttpServer } from '../api/http-server.js';
import { createApiRouter, type ApiRoute } from '../api/api-router.js';
import { deliveriesRoutes } from '../api/routes/deliveries-routes.js';

export interface CreateWharfOptions {
  readonly logger?: Logger;
  readonly now?: () => number;
  /** SQLite busy timeout for the inbox writer (tests shorten it). */
  readonly busyTimeoutMs?: number;
}

export interface Wharf {
  /** Opens storage (applying migrations) and starts the HTTP server. Resolves with the bound address. */
  listen(): Promise<{ host: string; port: number }>;
  /** Graceful stop: no new connections, pending commits acknowledged, storage closed. */
  close(): Promise<void>;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly config: WharfConfig;
}

export function createWharf(config: WharfConfig, options: CreateWharfOptions = {}): Wharf {
  const logger = options.logger ?? createLogger(config.logLevel);
  const now = options.now ?? Date.now;
  const metrics = createMetrics();
  const bootId = randomBytes(3).toString('hex');
  let requestCounter = 0;
  let storage: Storage | undefined;
  let committer: GroupCommitter | undefined;
  let server: Server | undefined;

  async function listen() {
    for (const w of config.warnings) logger.warn(w);
    storage = await openStorage(config, {
      migrate: true,
      now,
      ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
    });
    const c = new GroupCommitter(storage.inbox, {
      maxPending: config.maxPendingCommits,
      onCommit: (size, ms) => {
        metrics.commitBatchSize.observe(size);
        metrics.commitDuration.observe(ms / 1000);
      },
    });
    committer = c;
    metrics.setPendingSource(() => c.pending);
    const routes: ApiRoute[] = [...deliveriesRoutes(storage.inbox)];
    server = createHttpServer({
      webhookPath: config.webhookPath,
      inbox: storage.inbox,
      metrics,
      logger,
      api: createApiRouter(config.apiToken, routes),
      webhook: {
        appSecrets: config.appSecrets,
        verifyToken: config.verifyToken,
        maxBodyBytes: config.maxBodyBytes,
        retryAfterSeconds: config.retryAfterSeconds,
        committer: c,
        metrics,
        logger,
        now,
        nextRequestId: () => `${bootId}-${(++requestCounter).toString(36)}`,
      },
    });
    const s = server;
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(config.port, config.host, () => resolve());
    });
    const addr = s.address() as AddressInfo;
    logger.info(
      { host: addr.address, port: addr.port, storage: storage.kind, webhookPath: config.webhookPath },
      'wharf listening',
    );
    return { host: addr.address, port: addr.port };
  }

  async function close() {
    const s = server;
    if (s) {
      const closed = new Promise<void>((r) => s.close(() => r()));
      s.closeIdleConnections();
      await committer?.drain();
      // Connections finishing their last request become idle now; close them as they do.
      const sweep = setInterval(() => s.closeIdleConnections(), 20);
      const timer = setTimeout(() => s.closeAllConnections(), config.shutdownTimeoutMs);
      await closed;
      clearInterval(sweep);
      clearTimeout(timer);
    }
    await storage?.close();
    logger.info('wharf stopped');
    logger.flush();
  }

  return { listen, close, metrics, logger, config };
}
