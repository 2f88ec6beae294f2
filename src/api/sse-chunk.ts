import { constants, deflateRawSync } from 'node:zlib';

/**
 * The first bytes of a gzip-encoded stream (RFC 1952: magic, deflate, no flags, no mtime, unknown
 * OS). What follows it are sseChunk(…, true) pieces: each a run of deflate blocks ending in a sync
 * flush, so the client can decode everything sent so far, and each compressed on its own (no window
 * shared with the one before), so one piece can be sent to every client that follows the same
 * events, whenever it joined. The stream never gets the gzip trailer: it ends by its connection.
 */
export const GZIP_STREAM_HEADER: Buffer = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);

/**
 * Stream text (or its UTF-8 bytes) as the bytes to write: UTF-8, or (gzip) deflated with a sync flush. Level 1: a batch of
 * events of the same shape shrinks ~30× at it (each event repeats its neighbours' keys and values),
 * for a quarter of the CPU of the default level (docs/benchmarks.md, "Live streams and ingest").
 */
export function sseChunk(text: string | Buffer, gzip: boolean): Buffer {
  if (!gzip) return typeof text === 'string' ? Buffer.from(text) : text;
  return deflateRawSync(text, { level: 1, finishFlush: constants.Z_SYNC_FLUSH });
}
