/**
 * The destinations part of one Wharf process: the store for DATABASE_URL, the destinations file,
 * the runtime (dispatching in roles that dispatch) and the management routes. Wiring only: the
 * composition root (src/server/) is the place for it once there is one.
 */
import type { Registry } from 'prom-client';
import type { WharfConfig } from '../config/load-config.js';
import type { Logger } from '../observability/create-logger.js';
import type { DestinationStore } from '../ports/destination-store.js';
import type { ApiRoute } from '../api/api-router.js';
import { SqliteDestinationStore } from '../adapters/sqlite/destination-store.js';
import { PostgresDestinationStore } from '../adapters/postgres/destination-store.js';
import { sqlitePath } from '../adapters/sqlite/open-database.js';
import { isPostgresUrl } from './open-postgres-storage.js';
import { openOutbox } from './start-handlers.js';
import { createDestinationMetrics } from '../observability/destination-metrics.js';
import { destinationsRoutes } from '../api/routes/destinations-routes.js';
import { DestinationRuntime } from './destination-runtime.js';
import { applyDestinationsFile } from './apply-destinations-file.js';
import type { DestinationKinds } from './destination-kinds.js';
import type { DestinationUseCaseDeps } from './destination-use-cases.js';

export interface DestinationsOptions {
  readonly kinds: DestinationKinds;
  /** How often destinations are re-read and the outbox looked at without a wake-up (default 1 s). */
  readonly pollMs?: number;
}

export interface StartDestinationsArgs {
  readonly config: WharfConfig;
  readonly options: DestinationsOptions;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly now: () => number;
  readonly dispatch: boolean;
}

export function openDestinationStore(config: WharfConfig): DestinationStore | null {
  if (config.databaseUrl.startsWith('sqlite:'))
    return new SqliteDestinationStore(sqlitePath(config.databaseUrl));
  if (isPostgresUrl(config.databaseUrl))
    return PostgresDestinationStore.open(config.databaseUrl, {
      applicationName: `wharf-${config.role}-destinations`,
    });
  return null;
}

export async function startDestinations(a: StartDestinationsArgs) {
  const store = openDestinationStore(a.config);
  const outbox = openOutbox(a.config);
  if (store === null || outbox === null) return null;
  const metrics = createDestinationMetrics(a.registry);
  metrics.setBacklogSource(() => store.backlog());
  const runtime = new DestinationRuntime({
    store,
    outbox,
    kinds: a.options.kinds,
    schedule: a.config.destinationRetrySchedule,
    disableAfterMs: a.config.destinationDisableAfterHours * 3_600_000,
    leaseMs: a.config.leaseSeconds * 1000,
    pollMs: a.options.pollMs ?? 1000,
    now: a.now,
    logger: a.logger,
    metrics,
  });
  const deps: DestinationUseCaseDeps = {
    store,
    kinds: a.options.kinds,
    now: a.now,
    changed: () => runtime.changed(),
  };
  if (a.config.destinationsFile !== undefined) {
    const applied = await applyDestinationsFile(
      { ...deps, changed: async () => undefined },
      a.config.destinationsFile,
    );
    a.logger.info({ file: a.config.destinationsFile, ...applied }, 'destinations file applied');
  }
  await runtime.start(a.dispatch);
  return {
    runtime,
    targets: () => runtime.set.targets(),
    routes: (): ApiRoute[] => destinationsRoutes(deps),
    async stop(graceMs: number) {
      await runtime.stop(graceMs);
      await outbox.close();
      await store.close();
    },
  };
}

export type DestinationsPart = NonNullable<Awaited<ReturnType<typeof startDestinations>>>;
