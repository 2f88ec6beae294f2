/**
 * The destinations part of one Wharf process: the destinations file, the runtime on the storage's
 * destination store and outbox (dispatching in roles that dispatch), and the management routes.
 */
import { destinationTarget } from '../ports/destination-store.js';
import type { Registry } from 'prom-client';
import type { WharfConfig } from '../config/load-config.js';
import type { Logger } from '../observability/create-logger.js';
import type { Storage } from '../ports/storage.js';
import type { ApiRoute } from '../api/api-router.js';
import { createDestinationMetrics } from '../observability/destination-metrics.js';
import { destinationsRoutes } from '../api/routes/destinations-routes.js';
import { DestinationRuntime } from '../app/destination-runtime.js';
import { applyDestinationsFile } from '../app/apply-destinations-file.js';
import type { DestinationKinds } from '../app/destination-kinds.js';
import type { DestinationUseCaseDeps } from '../app/destination-use-cases.js';

export interface DestinationsOptions {
  readonly kinds: DestinationKinds;
  /** How often destinations are re-read and the outbox looked at without a wake-up (default 1 s). */
  readonly pollMs?: number;
}

export interface StartDestinationsArgs {
  readonly config: WharfConfig;
  readonly storage: Storage;
  readonly options: DestinationsOptions;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly now: () => number;
  readonly dispatch: boolean;
}

export interface DestinationsPart {
  readonly runtime: DestinationRuntime;
  /** The enabled destinations as outbox targets, for the processor (read at every batch). */
  readonly targets: () => ReturnType<DestinationRuntime['set']['targets']>;
  readonly routes: () => ApiRoute[];
  stop(graceMs: number): Promise<void>;
}

export async function startDestinations(args: StartDestinationsArgs): Promise<DestinationsPart> {
  const { storage, options, config } = args;
  const store = storage.destinations;
  const metrics = createDestinationMetrics(args.registry);
  // Every destination has a backlog series, 0 when nothing waits: a series that vanishes when the
  // backlog drains reads as "no data" on a dashboard, and an alert on it cannot tell drained from gone.
  metrics.setBacklogSource(async () => {
    const [pending, all] = await Promise.all([store.backlog(), store.list()]);
    const seen = new Set(pending.map((p) => p.target));
    const idle = all.map((d) => destinationTarget(d.id)).filter((t) => !seen.has(t));
    return [...pending, ...idle.map((target) => ({ target, pending: 0 }))];
  });
  const runtime = new DestinationRuntime({
    store,
    outbox: storage.outbox,
    conversations: storage.conversations,
    kinds: options.kinds,
    actions: storage.actions,
    reads: storage.reads,
    sends: {
      async sendOf(wamid) {
        const send = await storage.sends.getByWamid(wamid);
        return (
          send && { id: send.id, smsFallbackText: send.smsFallbackText, templateName: send.templateName }
        );
      },
      setFallback: (sendId, f) =>
        storage.sends.setFallback(sendId, {
          channel: f.channel,
          to: f.to,
          state: f.state,
          providerId: f.providerId,
          at: f.at,
          reason: f.reason,
        }),
    },
    schedule: config.destinationRetrySchedule,
    disableAfterMs: config.destinationDisableAfterHours * 3_600_000,
    leaseMs: config.leaseSeconds * 1000,
    pollMs: options.pollMs ?? 1000,
    now: args.now,
    logger: args.logger,
    metrics,
  });
  const deps: DestinationUseCaseDeps = {
    store,
    kinds: options.kinds,
    now: args.now,
    changed: () => runtime.changed(),
  };
  if (config.destinationsFile !== undefined) {
    const applied = await applyDestinationsFile(
      { ...deps, changed: async () => undefined },
      config.destinationsFile,
    );
    args.logger.info({ file: config.destinationsFile, ...applied }, 'destinations file applied');
  }
  await runtime.start(args.dispatch);
  return {
    runtime,
    targets: () => runtime.set.targets(),
    routes: () => destinationsRoutes(deps),
    stop: (graceMs) => runtime.stop(graceMs),
  };
}
