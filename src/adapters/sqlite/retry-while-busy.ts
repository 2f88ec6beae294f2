/**
 * Runs a write on a connection without a busy handler, trying again every half millisecond while
 * SQLite answers SQLITE_BUSY, for at most `busyTimeoutMs`. Only for worker threads: the wait
 * blocks the thread it runs on.
 */
const pause = new Int32Array(new SharedArrayBuffer(4));

/** Whether SQLite answered SQLITE_BUSY or one of its extended codes (SQLITE_BUSY_SNAPSHOT, …). */
export function isSqliteBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

export async function retryWhileBusy<T>(fn: () => Promise<T>, busyTimeoutMs: number): Promise<T> {
  const deadline = Date.now() + busyTimeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (!isSqliteBusy(err) || Date.now() > deadline) throw err;
      Atomics.wait(pause, 0, 0, 0.5);
    }
  }
}
