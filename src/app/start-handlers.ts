import { randomBytes } from 'node:crypto';
import type { WharfConfig } from '../config/load-config.js';
import type { Logger } from '../observability/create-logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Outbox } from '../ports/outbox.js';
import { destinationIdOf } from '../ports/destination-store.js';
import { MEDIA_TARGET_ID } from './media-target.js';
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
  /** Lets attempts in flight run for up to `graceMs` (default WHARF_SHUTDOWN_TIMEOUT_MS), then stops (the outbox is closed with the storage). */
  stop(graceMs?: number): Promise<void>;
}

export interface StartHandlersArgs {
  readonly config: WharfConfig;
  /** The storage's outbox; closed with the storage, not here. */
  readonly outbox: Outbox;
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

/** In a process that dispatches and has handlers, starts the dispatcher on the outbox. */
export async function startHandlers(args: StartHandlersArgs): Promise<HandlerRuntime> {
  const { outbox } = args;
  args.metrics.setOutboxSource(() => outbox.depth());
  const targets = args.registry.dispatchTargets;
  // A process that dispatches says so even with no handler left: rows of a removed one wait silently otherwise.
  if (args.dispatch)
    await warnAboutOrphans(
      outbox,
      targets.map((t) => t.id),
      args.logger,
    );
  if (!args.dispatch || targets.length === 0)
    return { outbox, wake: () => undefined, stop: async () => undefined };
  const policy = validateRetryPolicy({
    ...DEFAULT_RETRY_POLICY,
    maxAttempts: args.config.handlerMaxAttempts,
    ...args.options?.retry,
  });
  const longest = Math.max(...targets.map((t) => t.timeoutMs));
  const dispatcher = new Dispatcher({
    outbox,
    targets,
    policy,
    workerId: `dispatch-${randomBytes(4).toString('hex')}`,
    leaseMs: Math.max(args.config.leaseSeconds * 1000, longest + 5000),
    pollMs: args.options?.pollMs ?? 1000,
    now: args.now,
    random: args.options?.random ?? Math.random,
    logger: args.logger,
    onAttempt: (report) => onAttempt(args, report),
  });
  dispatcher.start();
  return {
    outbox,
    wake: () => dispatcher.wake(),
    stop: (graceMs = args.config.shutdownTimeoutMs) => dispatcher.stop(graceMs),
  };
}

function onAttempt(args: StartHandlersArgs, report: AttemptReport): void {
  const { metrics, logger } = args;
  metrics.handlerAttempts.inc({ target: report.target, outcome: report.outcome });
  metrics.handlerDuration.observe({ target: report.target }, report.durationMs / 1000);
  if (report.outcome === 'delivered') return;
  if (report.outcome === 'dead') {
    metrics.deadLetters.inc({ target: report.target });
    args.onDeadLetter?.(report);
  }
  const log = {
    target: report.target,
    event: report.event.key,
    attempt: report.attempt,
    err: describeError(report.error),
  };
  if (report.outcome === 'dead') logger.warn(log, 'handler failed; the event is now a dead letter');
  else logger.info({ ...log, nextAttemptAt: report.nextAttemptAt }, 'handler failed; will retry');
  const failure = {
    error: report.error,
    event: report.event,
    pattern: args.registry.patternOf(report.target),
    target: report.target,
    attempt: report.attempt,
    willRetry: report.outcome === 'retry',
    ...(report.nextAttemptAt === undefined ? {} : { nextAttemptAt: report.nextAttemptAt }),
  };
  for (const listen of args.errorListeners) {
    try {
      void Promise.resolve(listen(failure)).catch((err: unknown) =>
        logger.error({ err: describeError(err) }, 'onError listener failed'),
      );
    } catch (err) {
      logger.error({ err: describeError(err) }, 'onError listener threw');
    }
  }
}

/** Rows for a handler that is no longer registered would wait forever; say so at startup. */
async function warnAboutOrphans(outbox: Outbox, known: readonly string[], logger: Logger): Promise<void> {
  for (const orphan of await outbox.orphanTargets(known)) {
    // Destinations' rows belong to the destinations runtime, which knows its own targets.
    if (destinationIdOf(orphan.target) !== null || orphan.target === MEDIA_TARGET_ID) continue;
    logger.warn(
      { target: orphan.target, pending: orphan.pending },
      'pending outbox rows for a handler id that is not registered (renamed or removed?): they wait until it is',
    );
  }
}
