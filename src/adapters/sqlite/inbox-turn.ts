/**
 * The inbox writer goes first for SQLite's single write lock within one process. SQLite has no
 * queue for its lock: a writer that finds it taken retries (retry-while-busy.ts), and a processing
 * writer that commits part after part can take the lock again before the inbox writer's next retry,
 * so a group commit — and the webhooks' 200s waiting for it — could wait behind several parts.
 *
 * One shared counter: the inbox writer raises it while a group commit waits for or holds the lock;
 * the processing writer, before it takes the lock, waits while the counter is raised (at most
 * `maxMs`, so processing never stops for good). A writer in another process does not see it:
 * there SQLite's busy retries decide, as before (docs/benchmarks.md "End-to-end lag").
 */
export class InboxTurn {
  readonly counter: Int32Array;

  /** `shared`: the buffer of an InboxTurn made in another thread (passed in workerData). */
  constructor(shared: SharedArrayBuffer = new SharedArrayBuffer(4)) {
    this.counter = new Int32Array(shared);
  }

  get buffer(): SharedArrayBuffer {
    return this.counter.buffer as SharedArrayBuffer;
  }

  /** Inbox writer: runs `commit` with the turn raised. */
  take<T>(commit: () => T): T {
    Atomics.add(this.counter, 0, 1);
    try {
      return commit();
    } finally {
      Atomics.sub(this.counter, 0, 1);
      Atomics.notify(this.counter, 0);
    }
  }

  /** Other writers, before taking the write lock: lets a waiting group commit finish first. */
  yield(maxMs: number): void {
    const deadline = performance.now() + maxMs;
    for (;;) {
      const waiting = Atomics.load(this.counter, 0);
      if (waiting === 0) return;
      const left = deadline - performance.now();
      if (left <= 0) return;
      Atomics.wait(this.counter, 0, waiting, left);
    }
  }
}
