import type { CommitNotice, StoredEvent } from '../../ports/read-store.js';
import type { CommittedEvent } from '../../ports/processing-store.js';
import { eventAsRead } from './event-from-row.js';

/**
 * How much of the recent commits is kept for reads: events committed seconds ago (retention removes
 * events days old; events are never changed once stored).
 */
const RECENT_EVENTS = 20_000;
const RECENT_COMMITS = 256;
const RECENT_MS = 30_000;

interface RecentCommit {
  readonly first: number;
  readonly last: number;
  readonly at: number;
  readonly events: () => readonly StoredEvent[];
}

/**
 * Commit notices inside one process: the processing store publishes after each commit, the read
 * store's listeners (long-polls, SSE) hear them. SQLite has no NOTIFY; a process that does not
 * commit (another process processes) is not told, and its listeners also poll.
 */
/** The wamids a commit's events touched, each once, in order of first appearance. */
export function wamidsOf(committed: readonly CommittedEvent[]): string[] {
  const wamids = new Set<string>();
  for (const c of committed) if (c.event.wamid !== undefined) wamids.add(c.event.wamid);
  return [...wamids];
}

export class CommitNotices {
  private readonly listeners = new Set<(notice: CommitNotice) => void>();
  /**
   * The recent commits of this process whose ids follow each other without a gap, oldest first:
   * every event with an id from the first's `first` to the last's `last` is in one of them. A commit
   * that does not follow the last one (another writer's, or one with a gap) starts the run again.
   */
  private recent: RecentCommit[] = [];
  private recentEvents = 0;

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
    const events = committed.map((c) => ({ id: c.id, event: eventAsRead(c.event) }));
    const notice: CommitNotice = { lastEventId: last.id, wamids: wamidsOf(committed), events };
    for (const listener of this.listeners) listener(notice);
  }

  /**
   * After a commit made in another thread (threaded-processing-store.ts): its events are made, by
   * `events`, only when something reads them (an unfiltered live stream, recentAfter), at most
   * once. `ids.first` is '' unless the commit's ids run from it to `ids.last` without a gap.
   */
  publishLazily(
    ids: { readonly first: string; readonly last: string },
    wamids: readonly string[],
    events: () => readonly StoredEvent[],
  ): void {
    let made: readonly StoredEvent[] | undefined;
    const once = () => (made ??= events());
    this.remember(Number(ids.first), Number(ids.last), ids.first === '' ? null : once);
    if (this.listeners.size === 0) return;
    const notice: CommitNotice = {
      lastEventId: ids.last,
      wamids,
      get events() {
        return once();
      },
    };
    for (const listener of this.listeners) listener(notice);
  }

  private remember(first: number, last: number, events: (() => readonly StoredEvent[]) | null): void {
    const tail = this.recent.at(-1);
    if (events === null || (tail !== undefined && tail.last + 1 !== first)) {
      this.recent = [];
      this.recentEvents = 0;
      if (events === null) return;
    }
    const at = Date.now();
    this.recent.push({ first, last, at, events });
    this.recentEvents += last - first + 1;
    while (
      this.recent.length > 1 &&
      (this.recentEvents > RECENT_EVENTS ||
        this.recent.length > RECENT_COMMITS ||
        at - (this.recent[0] as RecentCommit).at > RECENT_MS)
    ) {
      const gone = this.recent.shift() as RecentCommit;
      this.recentEvents -= gone.last - gone.first + 1;
    }
  }

  /**
   * Every event committed after `afterId` up to the last recent commit, in id order, and that
   * commit's last id: what a read of the events table after `afterId` up to there returns, without
   * reading it (read-store.ts). Null when the recent commits do not reach back to `afterId`.
   */
  recentAfter(afterId: number): { readonly events: StoredEvent[]; readonly through: number } | null {
    const head = this.recent[0];
    const tail = this.recent.at(-1);
    if (head === undefined || tail === undefined || afterId < head.first - 1 || afterId > tail.last)
      return null;
    const events: StoredEvent[] = [];
    for (const c of this.recent) {
      if (c.last <= afterId) continue;
      for (const e of c.events()) if (Number(e.id) > afterId) events.push(e);
    }
    return { events, through: tail.last };
  }

  clear(): void {
    this.listeners.clear();
    this.recent = [];
    this.recentEvents = 0;
  }
}
