/**
 * Typed event router: `on('message.text', (event) => …)` narrows `event.data`; `on('status.', …)`
 * (or `status.*`) gives the union of status events; filters by phone_number_id, WABA and contact.
 * Patterns are the one event pattern (event-pattern.ts): one that names nothing throws at `on`.
 * Handlers may be async. `dispatch` never rejects: a handler error is reported to every `onError`
 * handler and in the returned result, and the remaining handlers still run.
 */
import type { EventName } from './event-names.js';
import type { AnyWharfEvent } from './wharf-event.js';
import { parseEventPatterns, type EventPattern, type NamesMatching } from './event-pattern.js';
import type { EventOf, Handler } from './handler.js';

export type { EventPattern, NamesMatching } from './event-pattern.js';
export type { EventOf, Handler } from './handler.js';

export interface HandlerFailure {
  readonly error: unknown;
  readonly event: AnyWharfEvent;
  /** The pattern the failing handler was registered for (`*` for onAny). */
  readonly pattern: string;
}

export type ErrorHandler = (failure: HandlerFailure) => unknown;

export interface EventFilter {
  readonly phoneNumberId?: string | readonly string[];
  readonly wabaId?: string | readonly string[];
  /** Matches the contact's phone (`+` ignored), BSUID, parent BSUID or username. */
  readonly contact?: string | readonly string[];
}

export interface DispatchResult {
  /** Handler invocations that completed. */
  readonly handled: number;
  readonly failures: readonly HandlerFailure[];
}

export type Unsubscribe = () => void;

export interface Router {
  on<P extends EventPattern>(
    pattern: P | readonly P[],
    handler: Handler<NamesMatching<P>>,
    filter?: EventFilter,
  ): Unsubscribe;
  onAny(handler: Handler, filter?: EventFilter): Unsubscribe;
  onError(handler: ErrorHandler): Unsubscribe;
  dispatch(event: AnyWharfEvent): Promise<DispatchResult>;
  /** Dispatches events one after another, in order. */
  dispatchAll(events: readonly AnyWharfEvent[]): Promise<DispatchResult>;
}

export interface RouterOptions {
  /** Applied to every handler of this router, before each handler's own filter. */
  readonly filter?: EventFilter;
}

interface Route {
  readonly pattern: string;
  /** null: every name (onAny). */
  readonly names: ReadonlySet<EventName> | null;
  readonly filter: EventFilter | undefined;
  readonly handler: Handler;
}

function asList(v: string | readonly string[] | undefined): readonly string[] | undefined {
  return v === undefined ? undefined : typeof v === 'string' ? [v] : v;
}

function stripPlus(s: string): string {
  return s.startsWith('+') ? s.slice(1) : s;
}

/** True when the event passes every part of the filter that is set. */
export function matchesFilter(event: AnyWharfEvent, filter: EventFilter | undefined): boolean {
  if (filter === undefined) return true;
  const phones = asList(filter.phoneNumberId);
  if (phones && (event.phoneNumberId === undefined || !phones.includes(event.phoneNumberId))) return false;
  const wabas = asList(filter.wabaId);
  if (wabas && !wabas.includes(event.wabaId)) return false;
  const contacts = asList(filter.contact);
  if (contacts) {
    const c = event.contact;
    if (c === undefined) return false;
    const ids = [c.waId, c.userId, c.parentUserId, c.username].filter((x): x is string => x !== undefined);
    if (!contacts.some((want) => ids.includes(want) || (c.waId !== undefined && c.waId === stripPlus(want))))
      return false;
  }
  return true;
}

export function createRouter(options: RouterOptions = {}): Router {
  const routes: Route[] = [];
  const errorHandlers: ErrorHandler[] = [];

  function add(route: Route): Unsubscribe {
    routes.push(route);
    return () => {
      const i = routes.indexOf(route);
      if (i >= 0) routes.splice(i, 1);
    };
  }

  async function report(failure: HandlerFailure): Promise<void> {
    for (const h of [...errorHandlers]) {
      try {
        await h(failure);
      } catch {
        // An error handler that fails must not break dispatch; the failure is still in the result.
      }
    }
  }

  async function dispatch(event: AnyWharfEvent): Promise<DispatchResult> {
    const failures: HandlerFailure[] = [];
    let handled = 0;
    if (!matchesFilter(event, options.filter)) return { handled, failures };
    for (const route of [...routes]) {
      if ((route.names && !route.names.has(event.name)) || !matchesFilter(event, route.filter)) continue;
      try {
        await route.handler(event as EventOf<EventName>);
        handled++;
      } catch (error) {
        const failure = { error, event, pattern: route.pattern };
        failures.push(failure);
        await report(failure);
      }
    }
    return { handled, failures };
  }

  return {
    on(pattern, handler, filter) {
      const list: readonly string[] = typeof pattern === 'string' ? [pattern] : pattern;
      return add({
        pattern: list.join(','),
        names: parseEventPatterns(list).names,
        filter,
        handler: handler as Handler,
      });
    },
    onAny(handler, filter) {
      return add({ pattern: '*', names: null, filter, handler });
    },
    onError(handler) {
      errorHandlers.push(handler);
      return () => {
        const i = errorHandlers.indexOf(handler);
        if (i >= 0) errorHandlers.splice(i, 1);
      };
    },
    dispatch,
    async dispatchAll(events) {
      let handled = 0;
      const failures: HandlerFailure[] = [];
      for (const e of events) {
        const r = await dispatch(e);
        handled += r.handled;
        failures.push(...r.failures);
      }
      return { handled, failures };
    },
  };
}
