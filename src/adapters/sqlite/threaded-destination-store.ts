/**
 * SQLite destination store whose attempt log and failing clocks (written after every batch of
 * attempts) are written by the dispatch writer thread (dispatch-writer-worker.ts); everything else
 * stays on this thread's connection.
 */
import type { NewAttempt } from '../../ports/destination-store.js';
import { SqliteDestinationStore, attemptsJson } from './destination-store.js';
import type { DispatchThread } from './dispatch-thread.js';

export class ThreadedDestinationStore extends SqliteDestinationStore {
  private readonly thread: DispatchThread;

  constructor(path: string, thread: DispatchThread, options: { busyTimeoutMs?: number } = {}) {
    super(path, options);
    this.thread = thread.acquire();
  }

  override async recordAttempts(attempts: readonly NewAttempt[]): Promise<void> {
    if (attempts.length === 0) return;
    await this.thread.call({ op: 'attempts', json: attemptsJson(attempts) });
  }

  override async noteOutcomes(
    succeeded: readonly string[],
    failed: readonly string[],
    now: number,
  ): Promise<void> {
    if (succeeded.length === 0 && failed.length === 0) return;
    await this.thread.call({ op: 'outcomes', args: [[...succeeded], [...failed], now] });
  }

  override async close(): Promise<void> {
    await this.thread.release();
    await super.close();
  }
}
