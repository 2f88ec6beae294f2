/**
 * Where media bytes are kept, content-addressed by the hex sha256 of the bytes (docs/sending.md, "Media"):
 * WHARF_MEDIA_DIR (src/adapters/media/file-media-blobs.ts) or an S3-compatible bucket
 * (src/adapters/media/s3-media-blobs.ts). The same bytes are stored once whatever their media ids.
 */
import type { Readable } from 'node:stream';

export interface MediaBlob {
  readonly body: Readable;
  readonly size: number;
}

export interface MediaBlobs {
  /** `file`, or `s3` with the bucket, for logs. */
  readonly label: string;
  /** Moves (or uploads) the complete file at `path` under `key`; the file is gone afterwards. */
  put(key: string, path: string, size: number, contentType: string | null): Promise<void>;
  /** The stored bytes, or null when nothing is stored under `key`. */
  open(key: string): Promise<MediaBlob | null>;
  close(): Promise<void>;
}
