import type { ClaimedRow } from '../ports/outbox.js';
import type { DispatchTarget, HandlerContext, RowOutcome } from './dispatch-target.js';
import { HandlerTimeoutError } from './handler-errors.js';

export type AttemptResult =
  | { readonly ok: true; readonly ms: number }
  | {
      readonly ok: false;
      readonly ms: number;
      readonly error: unknown;
      /** The process was stopping when the attempt failed: its abort, not the handler, ended it. */
      readonly interrupted: boolean;
    };

/**
 * One attempt of one handler on one event. Never rejects: a throw, a rejected promise and a
 * timeout all become a failed result. The handler cannot be killed, so on timeout its signal is
 * aborted and the slot is freed; a handler that ignores the signal may still finish later, which
 * at-least-once delivery allows.
 */
export async function runAttempt(
  target: DispatchTarget,
  row: ClaimedRow,
  shutdown: AbortSignal,
): Promise<AttemptResult> {
  const r = await guarded(target, row, shutdown, (ctx) => target.handle(row.event, ctx, row));
  return r.ok ? { ok: true, ms: r.ms } : r;
}

/**
 * One attempt of a batch target (DispatchTarget.batch) on several rows: one result per row. A
 * throw, a timeout or an answer without one outcome per row fails every row alike.
 */
export async function runBatchAttempt(
  target: DispatchTarget,
  rows: readonly ClaimedRow[],
  shutdown: AbortSignal,
): Promise<AttemptResult[]> {
  const batch = target.batch;
  const first = rows[0];
  if (!batch || !first) return [];
  const r = await guarded(target, first, shutdown, async (ctx) => {
    const outcomes = await batch.handle(rows, ctx);
    if (outcomes.length !== rows.length)
      throw new Error(`batch attempt answered ${outcomes.length} outcomes for ${rows.length} rows`);
    return outcomes;
  });
  if (!r.ok) return rows.map(() => r);
  return r.value.map((o: RowOutcome) =>
    o.ok ? { ok: true, ms: r.ms } : { ok: false, ms: r.ms, error: o.error, interrupted: false },
  );
}

type Guarded<T> =
  { readonly ok: true; readonly ms: number; readonly value: T } | Extract<AttemptResult, { ok: false }>;

/** Runs `fn` with the target's timeout and the shutdown signal; never rejects. */
async function guarded<T>(
  target: DispatchTarget,
  row: ClaimedRow,
  shutdown: AbortSignal,
  fn: (ctx: HandlerContext) => T | Promise<T>,
): Promise<Guarded<T>> {
  const started = performance.now();
  const controller = new AbortController();
  const onShutdown = () => controller.abort(shutdown.reason);
  shutdown.addEventListener('abort', onShutdown, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new HandlerTimeoutError(target.timeoutMs);
      controller.abort(err);
      reject(err);
    }, target.timeoutMs);
  });
  const aborted = new Promise<never>((_, reject) =>
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true }),
  );
  try {
    const ctx = {
      idempotencyKey: row.event.key,
      attempt: row.attempts + 1,
      target: target.id,
      signal: controller.signal,
    };
    // Promise.resolve().then(...) turns a synchronous throw into a rejection like any other failure.
    const value = await Promise.race([Promise.resolve().then(() => fn(ctx)), timedOut, aborted]);
    return { ok: true, ms: performance.now() - started, value };
  } catch (error) {
    return { ok: false, ms: performance.now() - started, error, interrupted: shutdown.aborted };
  } finally {
    clearTimeout(timer);
    shutdown.removeEventListener('abort', onShutdown);
  }
}
