import type { CommitNotice } from '../../ports/read-store.js';
import type { CommittedEvent } from '../../ports/processing-store.js';

/**
 * Commit notices inside one process: the processing store publishes after each commit, the read
 * store's listeners (long-polls, SSE) hear them. SQLite has no NOTIFY; a process that does not
 * commit (another process processes) is not told, and its listeners also poll.
 */
export class CommitNotices {
  private readonly listeners = new Set<(notice: CommitNotice) => void>();

  subscribe(listener: (notice: CommitNotice) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** After a commit: the last event id and the wamids it touched. Nothing when it stored no event. */
  publish(committed: readonly CommittedEvent[]): void {
    const last = committed[committed.length - 1];
    if (last === undefined || this.listeners.size === 0) return;
    const wamids = new Set<string>();
    for (const c of committed) if (c.event.wamid !== undefined) wamids.add(c.event.wamid);
    const notice: CommitNotice = { lastEventId: last.id, wamids: [...wamids] };
    for (const listener of this.listeners) listener(notice);
  }

  clear(): void {
    this.listeners.clear();
  }
}
