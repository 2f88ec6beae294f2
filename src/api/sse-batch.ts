import { sseChunk } from './sse-chunk.js';
import { httpChunk } from './http-chunk.js';

/**
 * Consecutive frames of a stream as one run of UTF-8 bytes: the event id of each frame (Infinity for
 * a comment) and where it ends in `bytes`. A live stream group writes the frames of each commit it
 * is told of as such a run into one reused Buffer (SseFrameWriter), so `bytes` may be a view of a
 * Buffer that is written again once the batch is sent.
 */
export class SseFrames {
  constructor(
    readonly ids: readonly number[],
    readonly ends: readonly number[],
    readonly bytes: Buffer,
  ) {}

  /** A comment (no id: it is no resume point). */
  static comment(text: string): SseFrames {
    const bytes = Buffer.from(`: ${text}\n\n`);
    return new SseFrames([Infinity], [bytes.length], bytes);
  }

  get first(): number {
    return this.ids[0] ?? Infinity;
  }

  /** The frames from the `i`th on, sharing these bytes. */
  from(i: number): SseFrames {
    if (i <= 0) return this;
    const start = this.ends[i - 1] ?? this.bytes.length;
    return new SseFrames(
      this.ids.slice(i),
      this.ends.slice(i).map((end) => end - start),
      this.bytes.subarray(start),
    );
  }

  /** The frames whose id is above `id` (ids ascend), sharing these bytes. */
  after(id: number): SseFrames {
    let i = 0;
    while (i < this.ids.length && (this.ids[i] as number) <= id) i++;
    return this.from(i);
  }
}

/**
 * Frames encoded once for every client of a filter: joined, and deflated, once per encoding, on
 * first use, and the same Buffer written to every client (one write each, nothing encoded per
 * client). Every Buffer it hands out is its own (a copy, or deflate's output), never a view of the
 * runs, whose bytes may be written again after the batch is sent: so the batch is encoded for all
 * of its clients before that (in one synchronous broadcast).
 */
export class SseBatch {
  private plain: Buffer | undefined;
  private deflated: Buffer | undefined;
  private readonly framed: [plain?: Buffer, gzip?: Buffer] = [];

  /** `runs`: in id order, at least one frame in all. */
  constructor(readonly runs: readonly SseFrames[]) {}

  /** The id of the first frame (Infinity when the batch holds only comments). */
  get first(): number {
    return this.runs[0]?.first ?? Infinity;
  }

  /** The whole batch, encoded. */
  chunk(gzip: boolean): Buffer {
    if (gzip) return (this.deflated ??= sseChunk(joined(this.runs), true));
    return (this.plain ??= copied(this.runs));
  }

  /** The whole batch, encoded and framed as one HTTP/1.1 chunk (httpChunk), made once. */
  httpChunk(gzip: boolean): Buffer {
    const i = gzip ? 1 : 0;
    return (this.framed[i] ??= httpChunk(this.chunk(gzip)));
  }

  /** Only the frames after `sentUpTo` (a client that caught up alone already has the others). */
  chunkAfter(sentUpTo: number, gzip: boolean): Buffer {
    if (this.first > sentUpTo) return this.chunk(gzip);
    const rest = this.runs.map((run) => run.after(sentUpTo));
    return gzip ? sseChunk(joined(rest), true) : copied(rest);
  }
}

/** The runs' bytes in a Buffer of their own. */
const copied = (runs: readonly SseFrames[]): Buffer => Buffer.concat(runs.map((run) => run.bytes));

/**
 * The runs' bytes as one Buffer to read at once: a view when they lie one after another in the same
 * memory (the runs a writer wrote since its last reset: no copy), else a copy.
 */
function joined(runs: readonly SseFrames[]): Buffer {
  const first = (runs[0] as SseFrames).bytes;
  let end = first.byteOffset + first.length;
  for (let i = 1; i < runs.length; i++) {
    const bytes = (runs[i] as SseFrames).bytes;
    if (bytes.buffer !== first.buffer || bytes.byteOffset !== end) return copied(runs);
    end += bytes.length;
  }
  return Buffer.from(first.buffer, first.byteOffset, end - first.byteOffset);
}
