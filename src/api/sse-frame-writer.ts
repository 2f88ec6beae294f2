import type { StoredEvent } from '../ports/read-store.js';
import { END_OF_FRAME, sseFramePrefix } from './sse-frame.js';
import { eventJsonPieces } from '../events/event-json.js';
import { SseFrames } from './sse-batch.js';

/** UTF-8 takes at most 3 bytes for each UTF-16 code unit of a string. */
const MAX_BYTES_PER_UNIT = 3;
const DATA_MEMBER = ',"data":';
const RAW_MEMBER = ',"raw":';
const END_OF_EVENT = `}${END_OF_FRAME}`;
const MEMBERS_AND_END = DATA_MEMBER.length + RAW_MEMBER.length + END_OF_EVENT.length;

/**
 * Writes the frames of events, as UTF-8, one after another into one Buffer that is used again for
 * the next batch once the batch is sent (reset). A live stream group holds the frames of the
 * commits it was told of until its batch goes out (up to 200 ms): kept as the events, they were
 * copied by every young-generation collection meanwhile; as a Buffer each, their wrappers outlived
 * those collections and their memory waited for full ones. Written here, they cost no allocation
 * and nothing for the garbage collector to move (docs/benchmarks.md, "Live streams and ingest").
 */
export class SseFrameWriter {
  private buffer: Buffer;
  private used = 0;

  constructor(private readonly initialBytes = 64 * 1024) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  /** Events (in id order) as their frames' UTF-8 bytes, in a Buffer of their own. */
  static encode(events: readonly StoredEvent[]): SseFrames {
    return new SseFrameWriter(4096).append(events);
  }

  /**
   * The frames of `events` (in id order), written after those written since the last reset. The
   * run's bytes are a view of this writer's Buffer: valid until reset, so anything that outlives the
   * batch must be a copy (SseBatch makes its bytes before the writer is reset).
   */
  append(events: readonly StoredEvent[]): SseFrames {
    const start = this.used;
    const ids: number[] = [];
    const ends: number[] = [];
    for (const e of events) {
      this.write(e);
      ids.push(Number(e.id));
      ends.push(this.used - start);
    }
    return new SseFrames(ids, ends, this.buffer.subarray(start, this.used));
  }

  /**
   * One event's frame (sseFrame's bytes), written in pieces (eventJsonPieces): the frame's head, the
   * event's JSON up to its data, its data, and its `raw` (the text it came as, when it still is).
   * Joined into one string first, the frame was a string of pieces that writing it flattened into a
   * copy (2.6 KB for bench:ingest's event), and all of it after a contact's non-ASCII name was
   * encoded on V8's slow path (docs/benchmarks.md, "Live streams and ingest").
   */
  private write(e: StoredEvent): void {
    const prefix = sseFramePrefix(e);
    const { head, data, raw } = eventJsonPieces(e);
    const units = prefix.length + head.length + (data?.length ?? 0) + (raw?.length ?? 0);
    this.reserve(units * MAX_BYTES_PER_UNIT + MEMBERS_AND_END);
    this.used += this.buffer.write(prefix, this.used);
    // The head's closing `}` (one byte) is written over by the members after it.
    this.used += this.buffer.write(head, this.used) - 1;
    if (data !== undefined) {
      this.used += this.buffer.write(DATA_MEMBER, this.used, 'latin1');
      this.used += this.buffer.write(data, this.used);
    }
    if (raw !== undefined) {
      this.used += this.buffer.write(RAW_MEMBER, this.used, 'latin1');
      this.used += this.buffer.write(raw, this.used);
    }
    this.used += this.buffer.write(END_OF_EVENT, this.used, 'latin1');
  }

  /**
   * Everything written so far was sent (or dropped): the Buffer is written from its start again. One
   * that a burst made large is let go once a batch uses less than a quarter of it.
   */
  reset(): void {
    if (this.buffer.length > this.initialBytes && this.used < this.buffer.length / 4)
      this.buffer = Buffer.allocUnsafe(Math.max(this.initialBytes, this.used * 2));
    this.used = 0;
  }

  /**
   * Room for `bytes` more. A larger Buffer starts with a copy of what was written, and the views
   * already handed out keep the old one (they stay valid).
   */
  private reserve(bytes: number): void {
    if (this.used + bytes <= this.buffer.length) return;
    const larger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.used + bytes));
    this.buffer.copy(larger, 0, 0, this.used);
    this.buffer = larger;
  }
}
