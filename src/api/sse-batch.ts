import { sseChunk } from './sse-chunk.js';
import { httpChunk } from './http-chunk.js';

/** One frame of a stream: the event id it carries (Infinity for a comment) and its text. */
export type SseFrame = readonly [id: number, text: string];

/**
 * Frames read once for every client of a filter: their bytes are made once per encoding, on first
 * use, and the same Buffer is written to every client (one write each, nothing encoded per client).
 */
export class SseBatch {
  private readonly text: string;
  private readonly bytes: [plain?: Buffer, gzip?: Buffer] = [];
  private readonly framed: [plain?: Buffer, gzip?: Buffer] = [];

  constructor(readonly frames: readonly SseFrame[]) {
    this.text = frames.map(([, t]) => t).join('');
  }

  /** The id of the first frame (Infinity when the batch holds only comments). */
  get first(): number {
    return this.frames[0]?.[0] ?? Infinity;
  }

  /** The whole batch, encoded. */
  chunk(gzip: boolean): Buffer {
    const i = gzip ? 1 : 0;
    return (this.bytes[i] ??= sseChunk(this.text, gzip));
  }

  /** The whole batch, encoded and framed as one HTTP/1.1 chunk (httpChunk), made once. */
  httpChunk(gzip: boolean): Buffer {
    const i = gzip ? 1 : 0;
    return (this.framed[i] ??= httpChunk(this.chunk(gzip)));
  }

  /** Only the frames after `sentUpTo` (a client that caught up alone already has the others). */
  chunkAfter(sentUpTo: number, gzip: boolean): Buffer {
    if (this.first > sentUpTo) return this.chunk(gzip);
    const rest = this.frames.filter(([id]) => id > sentUpTo).map(([, t]) => t);
    return sseChunk(rest.join(''), gzip);
  }
}
