import type { ClaimedRow } from '../ports/outbox.js';
import type { DispatchTarget } from './dispatcher.js';
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
    await Promise.race([Promise.resolve().then(() => target.handle(row.event, ctx, row)), timedOut, aborted]);
    return { ok: true, ms: performance.now() - started };
  } catch (error) {
    return { ok: false, ms: performance.now() - started, error, interrupted: shutdown.aborted };
  } finally {
    clearTimeout(timer);
    shutdown.removeEventListener('abort', onShutdown);
  }
}
