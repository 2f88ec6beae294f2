/**
 * SQLite outbox whose claims, outcome marks and postponements run in the dispatch writer thread
 * (dispatch-writer-worker.ts); reads, replays and dead letters stay on this thread's connection.
 */
import type { AttemptFailure, ClaimRequest, ClaimedRow, Coverage, Postponement } from '../../ports/outbox.js';
import { SqliteOutbox } from './outbox.js';
import { parseClaimedRows, type ClaimText } from './claimed-rows-json.js';
import type { DispatchThread } from './dispatch-thread.js';

export class ThreadedOutbox extends SqliteOutbox {
  private readonly thread: DispatchThread;

  constructor(path: string, thread: DispatchThread, options: { busyTimeoutMs?: number } = {}) {
    super(path, options);
    this.thread = thread.acquire();
  }

  override async claimDue(request: ClaimRequest): Promise<readonly ClaimedRow[]> {
    this.thread.warm();
    if (request.perTarget.every((t) => t.limit <= 0)) return [];
    // One JSON string for the whole claim's rows (dispatch-writer-worker.ts): JSON.parse builds them
    // in about half the main-thread time the structured clone of the same objects took; each
    // event's raw comes beside them as text and stays text until read (claimed-rows-json.ts).
    return parseClaimedRows((await this.thread.call({ op: 'claim', request })) as ClaimText);
  }

  override async markDelivered(
    workerId: string,
    ids: readonly string[],
    now: number,
    covered: readonly Coverage[] = [],
  ): Promise<void> {
    if (ids.length === 0 && covered.length === 0) return;
    await this.thread.call({ op: 'delivered', args: [workerId, [...ids], now, [...covered]] });
  }

  override async markFailed(
    workerId: string,
    failures: readonly AttemptFailure[],
    now: number,
  ): Promise<void> {
    if (failures.length === 0) return;
    await this.thread.call({ op: 'failed', args: [workerId, [...failures], now] });
  }

  override async postpone(workerId: string, rows: readonly Postponement[], now: number): Promise<void> {
    if (rows.length === 0) return;
    await this.thread.call({ op: 'postpone', args: [workerId, [...rows], now] });
  }

  override async close(): Promise<void> {
    await this.thread.release();
    await super.close();
  }
}
