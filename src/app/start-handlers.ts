import { randomBytes } from 'node:crypto';
import type { WharfConfig } from '../config/load-config.js';
import type { Logger } from '../observability/create-logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Outbox } from '../ports/outbox.js';
import { SqliteOutbox } from '../adapters/sqlite/outbox.js';
import { PostgresOutbox } from '../adapters/postgres/outbox.js';
import { isPostgresUrl } from './open-postgres-storage.js';
import { sqlitePath } from '../adapters/sqlite/open-database.js';
import { DEFAULT_RETRY_POLICY, validateRetryPolicy, type RetryPolicy } from '../core/retry-schedule.js';
import { Dispatcher, type AttemptReport } from './dispatcher.js';
import { describeError } from './decide-failure.js';
import type { HandlerErrorListener, HandlerRegistry } from './handler-registry.js';

export interface HandlerRuntimeOptions {
  /** Overrides of the backoff schedule; maxAttempts comes from WHARF_HANDLER_MAX_ATTEMPTS unless given here. */
  readonly retry?: Partial<RetryPolicy>;
  /** Longest sleep between looks at the outbox when nothing wakes the dispatcher (default 1 s). */
  readonly pollMs?: number;
  /** Random source for jitter (tests seed it). */
  readonly random?: () => number;
}

export interface HandlerRuntime {
  readonly outbox: Outbox;
  /** New rows may be due: the processor calls this after each commit, replays after re-enqueueing. */
  wake(): void;
  /** Lets attempts in flight run for up to `graceMs` (default WHARF_SHUTDOWN_TIMEOUT_MS), then stops. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartHandlersArgs {
  readonly config: WharfConfig;
  readonly registry: HandlerRegistry;
  readonly errorListeners: readonly HandlerErrorListener[];
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly now: () => number;
  /** False in an ingress-only process: the outbox serves the API but nothing is dispatched. */
  readonly dispatch: boolean;
  readonly options?: HandlerRuntimeOptions;
  /** A handler's row became a dead letter (the destinations runtime emits `wharf.dead_letter`). */
  readonly onDeadLetter?: (report: AttemptReport) => void;
}

/**
 * The outbox for DATABASE_URL, or null where this build has no adapter for it. `operator`: a command
 * run by hand (wharf replay) may wait on locks and run long statements; the service's PostgreSQL
 * timeouts are there so that webhooks and workers never hang, and a person can interrupt.
 */
export function openOutbox(config: WharfConfig, use: { operator?: boolean } = {}): Outbox | null {
  if (config.databaseUrl.startsWith('sqlite:')) return new SqliteOutbox(sqlitePath(config.databaseUrl));
  if (isPostgresUrl(config.databaseUrl))
    return PostgresOutbox.open(config.databaseUrl, {
      applicationName: use.operator ? 'wharf-replay' : `wharf-${config.role}-outbox`,
      ...(use.operator ? { withoutTimeouts: true } : {}),
    });
  return null;
}

/** Opens the outbox and, in a worker process with handlers, starts the dispatcher. */
export async function startHandlers(a: StartHandlersArgs): Promise<HandlerRuntime | null> {
  const outbox = openOutbox(a.config);
  if (!outbox) {
    if (a.registry.targets.length > 0)
      throw new Error('handlers need an outbox adapter for this DATABASE_URL');
    return null;
  }
  a.metrics.setOutboxSource(() => outbox.depth());
  const targets = a.registry.dispatchTargets;
  // A process that dispatches says so even with no handler left: rows of a removed one wait silently otherwise.
  if (a.dispatch)
    await warnAboutOrphans(
      outbox,
      targets.map((t) => t.id),
      a.logger,
    );
  if (!a.dispatch || targets.length === 0)
    return { outbox, wake: () => undefined, stop: () => outbox.close() };
  const policy = validateRetryPolicy({
    ...DEFAULT_RETRY_POLICY,
    maxAttempts: a.config.handlerMaxAttempts,
    ...a.options?.retry,
  });
  const longest = Math.max(...targets.map((t) => t.timeoutMs));
  const dispatcher = new Dispatcher({
    outbox,
    targets,
    policy,
    workerId: `dispatch-${randomBytes(4).toString('hex')}`,
    leaseMs: Math.max(a.config.leaseSeconds * 1000, longest + 5000),
    pollMs: a.options?.pollMs ?? 1000,
    now: a.now,
    random: a.options?.random ?? Math.random,
    logger: a.logger,
    onAttempt: (r) => onAttempt(a, r),
  });
  dispatcher.start();
  return {
    outbox,
    wake: () => dispatcher.wake(),
    async stop(graceMs = a.config.shutdownTimeoutMs) {
      await dispatcher.stop(graceMs);
      await outbox.close();
    },
  };
}

function onAttempt(a: StartHandlersArgs, r: AttemptReport): void {
  a.metrics.handlerAttempts.inc({ target: r.target, outcome: r.outcome });
  a.metrics.handlerDuration.observe({ target: r.target }, r.durationMs / 1000);
  if (r.outcome === 'delivered') return;
  if (r.outcome === 'dead') {
    a.metrics.deadLetters.inc({ target: r.target });
    a.onDeadLetter?.(r);
  }
  const log = { target: r.target, event: r.event.key, attempt: r.attempt, err: describeError(r.error) };
  if (r.outcome === 'dead') a.logger.warn(log, 'handler failed; the event is now a dead letter');
  else a.logger.info({ ...log, nextAttemptAt: r.nextAttemptAt }, 'handler failed; will retry');
  const failure = {
    error: r.error,
    event: r.event,
    pattern: a.registry.patternOf(r.target),
    target: r.target,
    attempt: r.attempt,
    willRetry: r.outcome === 'retry',
    ...(r.nextAttemptAt === undefined ? {} : { nextAttemptAt: r.nextAttemptAt }),
  };
  for (const listen of a.errorListeners) {
    try {
      void Promise.resolve(listen(failure)).catch((err: unknown) =>
        a.logger.error({ err: describeError(err) }, 'onError listener failed'),
      );
    } catch (err) {
      a.logger.error({ err: describeError(err) }, 'onError listener threw');
    }
  }
}

/** Rows for a handler that is no longer registered would wait forever; say so at startup. */
async function warnAboutOrphans(outbox: Outbox, known: readonly string[], logger: Logger): Promise<void> {
  for (const o of await outbox.orphanTargets(known))
    logger.warn(
      { target: o.target, pending: o.pending },
      'pending outbox rows for a handler id that is not registered (renamed or removed?): they wait until it is',
    );
}
