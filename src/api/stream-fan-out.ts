import type { ServerResponse } from 'node:http';
import type { EventQuery, ReadStore, StoredEvent } from '../ports/read-store.js';
import { sseFrame } from './sse-frame.js';
import { CoalescedRun } from './coalesced-run.js';
import { Tail } from './routes/stream-tail.js';

/** Read from the database this often too: events committed by another process have no in-process notice. */
const TICK_MS = 1000;
const HEARTBEAT_MS = 15_000;
const PAGE = 500;
/** A client holding more unsent bytes than this is dropped; it resumes with Last-Event-ID. */
const SLOW_CLIENT_BYTES = 1024 * 1024;

interface Member {
  readonly res: ServerResponse;
  /** Events up to this id were already sent to it (while it caught up alone). */
  sentUpTo: number;
}

/**
 * The live stream's clients with the same filter share one reader: each commit is read from the
 * database once per filter and each frame serialized once, however many clients follow it (500
 * clients each reading every commit themselves cut ingest from ~5,000/s to 175/s). A client that
 * cannot keep up is dropped rather than buffered for; its EventSource reconnects with Last-Event-ID
 * and catches up from the database alone before it joins again.
 */
class FanOutGroup {
  readonly members = new Set<Member>();
  private readonly pumps = new CoalescedRun(
    () => this.readNewEvents(),
    () => this.members.size > 0,
  );
  private readonly unsubscribe: () => void;
  private readonly tick: NodeJS.Timeout;
  private readonly beat: NodeJS.Timeout;

  constructor(
    private readonly store: ReadStore,
    private readonly filter: EventQuery,
    public lastId: string,
  ) {
    const pump = () => void this.pump();
    this.unsubscribe = store.onCommit(pump);
    this.tick = setInterval(pump, TICK_MS);
    this.beat = setInterval(() => this.broadcast([[Infinity, ': keep-alive\n\n']]), HEARTBEAT_MS);
  }

  close(): void {
    this.unsubscribe();
    clearInterval(this.tick);
    clearInterval(this.beat);
  }

  async pump(): Promise<void> {
    try {
      await this.pumps.run();
    } catch {
      // The database could not be read now: the next notice or tick tries again.
    }
  }

  private async readNewEvents(): Promise<void> {
    for (;;) {
      const events = await this.store.eventsAfter(this.lastId, this.filter, PAGE);
      if (events.length === 0) return;
      this.broadcast(events.map((e) => [Number(e.id), sseFrame(e)]));
      this.lastId = (events.at(-1) as StoredEvent).id;
      if (events.length < PAGE) return;
    }
  }

  private broadcast(frames: ReadonlyArray<readonly [number, string]>): void {
    const whole = frames.map(([, text]) => text).join('');
    for (const member of this.members) {
      if (member.res.destroyed || member.res.writableEnded) continue;
      if (member.res.writableLength > SLOW_CLIENT_BYTES) {
        this.members.delete(member);
        member.res.destroy();
        continue;
      }
      const first = frames[0]?.[0] ?? Infinity;
      if (first > member.sentUpTo) member.res.write(whole);
      else
        member.res.write(
          frames
            .filter(([id]) => id > member.sentUpTo)
            .map(([, t]) => t)
            .join(''),
        );
    }
  }
}

/** Live streams, grouped by filter, at most `maxStreams` at a time. */
export class StreamFanOut {
  private readonly groups = new Map<string, FanOutGroup>();
  private count = 0;

  constructor(
    private readonly store: ReadStore,
    readonly maxStreams: number,
  ) {}

  get open(): number {
    return this.count;
  }

  get full(): boolean {
    return this.count >= this.maxStreams;
  }

  /** Follows `res` from `start` on; resolves the function that detaches it. */
  async join(res: ServerResponse, filter: EventQuery, start: string): Promise<() => void> {
    this.count++;
    const key = JSON.stringify(filter);
    let group = this.groups.get(key);
    if (!group) {
      group = new FanOutGroup(this.store, filter, start);
      this.groups.set(key, group);
    }
    const member: Member = { res, sentUpTo: Number(start) };
    // Behind the group (resuming from an older id): catch up alone first, then join; the group
    // skips what this client already has.
    if (Number(start) < Number(group.lastId)) {
      const tail = new Tail(this.store, res, filter, start);
      while (Number(tail.position) < Number(group.lastId) && !res.destroyed && !res.writableEnded) {
        const before = tail.position;
        await tail.pump();
        if (tail.position === before) break;
      }
      member.sentUpTo = Number(tail.position);
    }
    const joined = group;
    joined.members.add(member);
    void joined.pump();
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.count--;
      joined.members.delete(member);
      if (joined.members.size === 0 && this.groups.get(key) === joined) {
        joined.close();
        this.groups.delete(key);
      }
    };
  }
}
