/**
 * Runs a write on a connection without a busy handler, trying again every half millisecond while
 * SQLite answers SQLITE_BUSY, for at most `busyTimeoutMs`. Only for worker threads: the wait
 * blocks the thread it runs on.
 */
const pause = new Int32Array(new SharedArrayBuffer(4));

export async function retryWhileBusy<T>(fn: () => Promise<T>, busyTimeoutMs: number): Promise<T> {
  const deadline = Date.now() + busyTimeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: unknown } | null)?.code;
      const busy = typeof code === 'string' && code.startsWith('SQLITE_BUSY');
      if (!busy || Date.now() > deadline) throw err;
      Atomics.wait(pause, 0, 0, 0.5);
    }
  }
}
