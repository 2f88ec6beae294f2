/**
 * Bytes read from a connection and not yet consumed, kept as the chunks that arrived: they are
 * joined only when a head is looked at or a request is taken whole, so a 3 MB body arriving in 64 KB
 * reads is copied once, not once per read.
 */
export class ByteQueue {
  private chunks: Buffer[] = [];
  private length = 0;

  get size(): number {
    return this.length;
  }

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** Everything queued, as one buffer. */
  all(): Buffer {
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks, this.length)];
    return this.chunks[0] as Buffer;
  }

  /** Removes and returns the first `n` bytes (a view, not a copy). */
  take(n: number): Buffer {
    const all = this.all();
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.length = rest.length;
    return all.subarray(0, n);
  }

  clear(): void {
    this.chunks = [];
    this.length = 0;
  }
}
