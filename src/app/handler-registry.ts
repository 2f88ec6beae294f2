import type { AnyWharfEvent } from '../events/wharf-event.js';
import type { EventName } from '../events/event-names.js';
import type { HandlerFailure } from '../events/router.js';
import type { EventPattern, NamesMatching } from '../events/event-pattern.js';
import type { Handler } from '../events/handler.js';
import type { OutboxTarget } from '../ports/outbox-target.js';
import type { TargetRule } from '../core/target-rule.js';
import type { DispatchTarget } from './dispatcher.js';
import { replyContext, type Send, type WharfHandlerContext } from './reply-context.js';
import { compileFilter, type HandlerFilter } from './handler-filter.js';
import { parseEventPatterns } from '../events/event-pattern.js';
import { MAX_TIMER_MS } from '../util/max-timer-ms.js';
import { WharfError } from '../errors.js';

/** The handler `wharf.on` runs from the outbox: the one Handler, given the attempt context; a router handler fits as is. */
export type WharfHandler<N extends EventName = EventName> = Handler<N, WharfHandlerContext>;

export interface HandlerOptions extends HandlerFilter {
  /**
   * Stable id of this registration, stored with its outbox rows. Give one when registrations may be
   * reordered between deployments; the default is derived from the names and the registration order.
   */
  readonly id?: string;
  /** Attempts of this handler running at once (default 8). */
  readonly concurrency?: number;
  /** An attempt still running after this is a failure and is retried (default 30 s). */
  readonly timeoutMs?: number;
}

/** The router's failure report (error, event, pattern), plus where the hand-off stands. */
export interface HandlerAttemptFailure extends HandlerFailure {
  /** Id of the registration that failed (its outbox target). */
  readonly target: string;
  readonly attempt: number;
  /** False when the row became a dead letter. */
  readonly willRetry: boolean;
  readonly nextAttemptAt?: number;
}

/** A router `ErrorHandler` fits as is. */
export type HandlerErrorListener = (failure: HandlerAttemptFailure) => unknown;

const ID = /^[\w.:*,@/-]{1,200}$/;

/**
 * The handlers registered through `wharf.on` / `wharf.onAny`. Each registration is both an outbox
 * target (the processor asks `wants(event)`) and a dispatch target (the dispatcher runs it).
 */
export class HandlerRegistry {
  private readonly list: Array<OutboxTarget & DispatchTarget> = [];
  private readonly seen = new Map<string, number>();
  private readonly patterns = new Map<string, string>();
  /** What ctx.reply() sends through; set by the process before it dispatches. */
  private send: Send | null = null;

  useSender(send: Send): void {
    this.send = send;
  }
  private sealedBy: string | undefined;

  on<P extends EventPattern>(
    patterns: P | readonly P[],
    handler: WharfHandler<NamesMatching<P>>,
    options: HandlerOptions = {},
  ): string {
    const given: readonly string[] = typeof patterns === 'string' ? [patterns] : patterns;
    if (given.length === 0) throw new WharfError('HANDLER_INVALID', 'wharf.on needs at least one event name');
    const { names } = parseEventPatterns(given);
    // `status.` and `status.*` are one pattern, so one registration id; ids are spelled with the star,
    // as they were before `status.` was accepted, so outbox rows stored then still find their handler.
    const pattern = given.map((entry) => (entry.endsWith('.') ? `${entry}*` : entry)).join(',');
    return this.add(pattern, compileFilter(names, options), handler as WharfHandler, options);
  }

  onAny(handler: WharfHandler, options: HandlerOptions = {}): string {
    return this.add('*', compileFilter(null, options), handler, options);
  }

  /** Registrations change which outbox rows are written; after listen() they would silently miss events. */
  seal(reason: string): void {
    this.sealedBy = reason;
  }

  /** What the processor needs: id + wants. */
  get targets(): readonly OutboxTarget[] {
    return this.list;
  }

  get dispatchTargets(): readonly DispatchTarget[] {
    return this.list;
  }

  /** The pattern a registration was made for (`*` for onAny), for failure reports. */
  patternOf(id: string): string {
    return this.patterns.get(id) ?? id;
  }

  private add(
    pattern: string,
    choice: { wants: (e: AnyWharfEvent) => boolean; rule?: TargetRule },
    handler: WharfHandler,
    options: HandlerOptions,
  ): string {
    if (this.sealedBy) throw new WharfError('HANDLER_TOO_LATE', `register handlers before ${this.sealedBy}`);
    if (typeof handler !== 'function') throw new WharfError('HANDLER_INVALID', 'handler must be a function');
    // n-th registration of the same names: stable as long as the code registers in the same order.
    const base = pattern === '*' ? 'onAny' : `on:${pattern}`;
    const n = (this.seen.get(base) ?? 0) + 1;
    const id = options.id ?? `${base}:${n}`;
    if (!ID.test(id))
      throw new WharfError(
        'HANDLER_INVALID',
        `handler id ${JSON.stringify(id)} must be 1-200 of [A-Za-z0-9_.:*,@/-]`,
      );
    if (this.list.some((t) => t.id === id))
      throw new WharfError(
        'HANDLER_INVALID',
        `a handler with id ${JSON.stringify(id)} is already registered`,
      );
    const concurrency = options.concurrency ?? 8;
    const timeoutMs = options.timeoutMs ?? 30_000;
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new WharfError('HANDLER_INVALID', 'concurrency must be an integer ≥ 1');
    // setTimeout turns a longer delay into 1 ms (TimeoutOverflowWarning): every attempt would time out at once.
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMER_MS)
      throw new WharfError('HANDLER_INVALID', `timeoutMs must be > 0 and ≤ ${MAX_TIMER_MS}`);
    this.seen.set(base, n);
    this.patterns.set(id, pattern);
    // The handler gets the event and its context only, not the dispatcher's outbox row.
    const handle: DispatchTarget['handle'] = (event, ctx) =>
      (handler as WharfHandler)(event, replyContext(this.send, event, ctx));
    this.list.push({ id, ...choice, handle, concurrency, timeoutMs });
    return id;
  }
}
