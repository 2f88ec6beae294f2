import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { CommitNotice, EventQuery, ReadStore, StoredEvent } from '../ports/read-store.js';
import { SseFrameWriter } from './sse-frame-writer.js';
import { SseBatch, SseFrames } from './sse-batch.js';
import { CoalescedRun } from './coalesced-run.js';
import { streamBatchIntervalMs } from './stream-batch-interval.js';
import { Tail } from './routes/stream-tail.js';

/** Read from the database this often too: events committed by another process have no in-process notice. */
const TICK_MS = 1000;
const HEARTBEAT_MS = 15_000;
const PAGE = 500;
/** A client holding more unsent bytes than this is dropped; it resumes with Last-Event-ID. */
const SLOW_CLIENT_BYTES = 1024 * 1024;
const KEEP_ALIVE = new SseBatch([SseFrames.comment('keep-alive')]);

interface Member {
  readonly res: ServerResponse;
  /**
   * The response's socket when the response is chunked and under way: a batch is written to it as
   * the one Buffer framed once for every client (SseBatch.httpChunk), bypassing ServerResponse's
   * per-write framing (four corked pieces, then a writev). Null: written through `res`.
   */
  readonly socket: Socket | null;
  /** Events up to this id were already sent to it (while it caught up alone). */
  sentUpTo: number;
  /** It asked for gzip (Accept-Encoding): it gets the batch's deflated bytes. */
  readonly gzip: boolean;
}

/**
 * The live stream's clients with the same filter share one reader: each commit is read from the
 * database once per filter, its frames serialized once and joined into one Buffer per encoding, and
 * that same Buffer written to every client (one write per client per batch), however many clients
 * follow it (500 clients each reading every commit themselves cut ingest from ~5,000/s to 175/s). A client that
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
  private lastRead = -Infinity;
  private pending: NodeJS.Timeout | undefined;
  /**
   * Committed events handed over by notices (CommitNotice.events), not sent yet, in commit order:
   * as their frames' bytes, written when the notice came into `frames`, so the events themselves
   * are not kept alive until the batch goes out.
   */
  private held: SseFrames[] = [];
  /** Where held frames are written; written again from its start once they are sent or dropped. */
  private readonly frames = new SseFrameWriter();
  /** Something may be in the database that no notice handed over: the next run reads it. */
  private mustRead = true;
  /** Only an unfiltered group takes events from notices: every event is then one of its events. */
  private readonly takesNoticed: boolean;

  constructor(
    private readonly store: ReadStore,
    private readonly filter: EventQuery,
    public lastId: string,
  ) {
    this.takesNoticed = Object.values(filter).every((v) => v === undefined);
    this.unsubscribe = store.onCommit((n) => this.notice(n));
    this.tick = setInterval(() => this.notice(), TICK_MS);
    this.beat = setInterval(() => this.broadcast(KEEP_ALIVE), HEARTBEAT_MS);
  }

  close(): void {
    this.unsubscribe();
    clearInterval(this.tick);
    clearInterval(this.beat);
    clearTimeout(this.pending);
  }

  /**
   * A commit happened: read now, or once the batch interval for this many clients has passed since
   * the last read. What a stream costs is a write per client per batch and the bytes (a bigger batch
   * compresses better), not the events in it; the live view lags by at most that interval.
   */
  private notice(n?: CommitNotice): void {
    if (n?.events !== undefined && this.takesNoticed) {
      if (n.events.length > 0) this.hold(n.events);
    } else this.mustRead = true;
    if (this.pending !== undefined) return;
    const wait = this.lastRead + streamBatchIntervalMs(this.members.size) - performance.now();
    if (wait <= 0) return void this.pump();
    this.pending = setTimeout(() => {
      this.pending = undefined;
      void this.pump();
    }, wait);
  }

  /**
   * Writes a commit's frames now. This runs inside the commit's notice (the processor's call): an
   * event that cannot be framed must not fail it, so the run reads the database instead, as before
   * frames were written here.
   */
  private hold(events: readonly StoredEvent[]): void {
    try {
      this.held.push(this.frames.append(events));
    } catch {
      this.mustRead = true;
    }
  }

  async pump(): Promise<void> {
    try {
      await this.pumps.run();
    } catch {
      // The database could not be read now: the next notice or tick tries again.
    }
  }

  /** Sends what notices handed over, then reads the database when something may be missing. */
  private async readNewEvents(): Promise<void> {
    this.lastRead = performance.now();
    const held = this.takeHeld();
    if (held === null) this.mustRead = true;
    else if (held.length > 0) this.send(held);
    // Sent (encoded for every client: nothing refers to these bytes any more) or dropped.
    this.frames.reset();
    if (!this.mustRead) return;
    this.mustRead = false;
    for (;;) {
      const events = await this.store.eventsAfter(this.lastId, this.filter, PAGE);
      if (events.length === 0) return;
      this.send([SseFrameWriter.encode(events)]);
      if (events.length < PAGE) return;
    }
  }

  /**
   * The held events after lastId, if they follow it without a gap (each id the one before plus one:
   * a commit holds the write lock, so only another commit, which no notice here announced, can
   * have taken an id in between); null when one does not, and the database must be read. Events
   * already read from the database (a tick's read) are left out, never sent twice.
   */
  private takeHeld(): SseFrames[] | null {
    const held = this.held;
    if (held.length === 0) return [];
    this.held = [];
    const out: SseFrames[] = [];
    let last = Number(this.lastId);
    for (const commit of held) {
      const taken = out.length === 0 ? commit.after(last) : commit;
      for (const id of taken.ids) {
        if (id !== last + 1) return null;
        last = id;
      }
      if (taken.ids.length > 0) out.push(taken);
    }
    return out;
  }

  /** Sends frames (at least one, in id order) to every member: the group's position is then the last. */
  private send(runs: readonly SseFrames[]): void {
    this.broadcast(new SseBatch(runs));
    const ids = (runs.at(-1) as SseFrames).ids;
    this.lastId = String(ids.at(-1) as number);
  }

  private broadcast(batch: SseBatch): void {
    for (const member of this.members) {
      const res = member.res;
      if (res.destroyed || res.writableEnded) continue;
      if (res.writableLength > SLOW_CLIENT_BYTES) {
        this.members.delete(member);
        res.destroy();
        continue;
      }
      if (member.socket !== null && batch.first > member.sentUpTo)
        member.socket.write(batch.httpChunk(member.gzip));
      else {
        const bytes = batch.chunkAfter(member.sentUpTo, member.gzip);
        if (bytes.length > 0) res.write(bytes);
      }
    }
  }
}

/**
 * The socket a batch can be written to directly: the response's headers are out, its body is
 * chunked (HTTP/1.1) and the socket is its own (a pipelined response waiting its turn has none).
 */
function rawSocket(res: ServerResponse): Socket | null {
  const chunked = (res as ServerResponse & { chunkedEncoding?: boolean }).chunkedEncoding === true;
  return res.headersSent && chunked && res.socket !== null ? res.socket : null;
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
  async join(res: ServerResponse, filter: EventQuery, start: string, gzip = false): Promise<() => void> {
    this.count++;
    const key = JSON.stringify(filter);
    let group = this.groups.get(key);
    if (!group) {
      group = new FanOutGroup(this.store, filter, start);
      this.groups.set(key, group);
    }
    const member: Member = { res, socket: rawSocket(res), sentUpTo: Number(start), gzip };
    // Behind the group (resuming from an older id): catch up alone first, then join; the group
    // skips what this client already has.
    if (Number(start) < Number(group.lastId)) {
      const tail = new Tail(this.store, res, filter, start, gzip);
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
