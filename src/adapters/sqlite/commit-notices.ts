import type { CommitNotice, StoredEvent } from '../../ports/read-store.js';
import type { CommittedEvent } from '../../ports/processing-store.js';
import { eventAsRead } from './event-from-row.js';

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

  /**
   * After a commit: the last event id, the wamids it touched and the events themselves (as a read
   * would give them: the live stream sends them without reading them back, docs/benchmarks.md
   * "Live streams and ingest"). Nothing when it stored no event.
   */
  publish(committed: readonly CommittedEvent[]): void {
    const last = committed[committed.length - 1];
    if (last === undefined || this.listeners.size === 0) return;
    const wamids = new Set<string>();
    for (const c of committed) if (c.event.wamid !== undefined) wamids.add(c.event.wamid);
    const events = committed.map((c) => ({ id: c.id, event: eventAsRead(c.event) }));
    const notice: CommitNotice = { lastEventId: last.id, wamids: [...wamids], events };
    for (const listener of this.listeners) listener(notice);
  }

  /**
   * After a commit made in another thread (threaded-processing-store.ts): its events are made, by
   * `events`, only when a listener reads them (an unfiltered live stream), at most once.
   */
  publishLazily(lastEventId: string, wamids: readonly string[], events: () => readonly StoredEvent[]): void {
    if (this.listeners.size === 0) return;
    let made: readonly StoredEvent[] | undefined;
    const notice: CommitNotice = {
      lastEventId,
      wamids,
      get events() {
        return (made ??= events());
      },
    };
    for (const listener of this.listeners) listener(notice);
  }

  clear(): void {
    this.listeners.clear();
  }
}
