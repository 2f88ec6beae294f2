/**
 * One media download (Meta's media page): the webhook's own URL when it has one, else (or when that URL
 * expired) a fresh one from `GET /{media-id}`; the bytes streamed to a temporary file while hashed
 * and counted (never more than WHARF_MEDIA_MAX_BYTES in memory or on disk), checked against Meta's
 * sha256 (base64 or hex), then stored content-addressed. A failure says whether retrying can help.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { MediaBlobs } from '../ports/media-blobs.js';
import type { MediaRecord, StoredContent } from '../ports/media-downloads.js';
import { MediaSourceError, type MediaDownload, type MediaSource } from '../ports/media-source.js';
import { sha256Matches } from '../core/media/sha256-matches.js';

export interface CaptureDeps {
  readonly source: MediaSource;
  readonly blobs: MediaBlobs;
  /** Where partial downloads are written (inside WHARF_MEDIA_DIR for the file store: a rename then moves them). */
  readonly tmpDir: string;
  readonly maxBytes: number;
}

/** `permanent`: retrying cannot help (media gone, over the size limit); otherwise retried until Meta's 7 days. */
export class CaptureFailure extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'CaptureFailure';
  }
}

class TooLarge extends Error {}

export async function captureMedia(
  record: MediaRecord,
  deps: CaptureDeps,
  signal: AbortSignal,
): Promise<StoredContent> {
  try {
    const { download, expectedSha256, mimeType } = await openDownload(record, deps, signal);
    return await keep(download, expectedSha256, mimeType ?? download.contentType, deps, signal);
  } catch (err) {
    if (err instanceof CaptureFailure) throw err;
    if (err instanceof MediaSourceError)
      throw new CaptureFailure(
        err.failure === 'gone' ? `Meta no longer has this media (${err.message})` : err.message,
        err.failure === 'gone',
      );
    const why = err instanceof Error ? err.message : String(err);
    throw new CaptureFailure(signal.aborted ? `download interrupted (${why})` : why, false);
  }
}

async function openDownload(record: MediaRecord, deps: CaptureDeps, signal: AbortSignal) {
  if (record.hintUrl !== null && record.attempts === 0) {
    try {
      const download = await deps.source.download(record.hintUrl, signal);
      return { download, expectedSha256: record.sha256, mimeType: record.mimeType };
    } catch (err) {
      // The webhook's URL may be older than its 5 minutes (a delayed or retried delivery): ask for a new one.
      if (!(err instanceof MediaSourceError) || err.failure !== 'expired') throw err;
    }
  }
  let meta = await deps.source.metadata(record.mediaId, record.phoneNumberId, signal);
  const tooLarge = (size: number | null) => size !== null && size > deps.maxBytes;
  if (tooLarge(meta.fileSize))
    throw new CaptureFailure(`${meta.fileSize} bytes, over WHARF_MEDIA_MAX_BYTES (${deps.maxBytes})`, true);
  let download: MediaDownload;
  try {
    download = await deps.source.download(meta.url, signal);
  } catch (err) {
    if (!(err instanceof MediaSourceError) || err.failure !== 'expired') throw err;
    // Fetched and already expired (a slow queue, a clock jump): one fresh URL, then the next attempt.
    meta = await deps.source.metadata(record.mediaId, record.phoneNumberId, signal);
    download = await deps.source.download(meta.url, signal);
  }
  return {
    download,
    expectedSha256: record.sha256 ?? meta.sha256,
    mimeType: record.mimeType ?? meta.mimeType,
  };
}

async function keep(
  download: MediaDownload,
  expectedSha256: string | null,
  contentType: string | null,
  deps: CaptureDeps,
  signal: AbortSignal,
): Promise<StoredContent> {
  if (download.length !== null && download.length > deps.maxBytes) {
    download.body.destroy();
    throw new CaptureFailure(`${download.length} bytes, over WHARF_MEDIA_MAX_BYTES (${deps.maxBytes})`, true);
  }
  await mkdir(deps.tmpDir, { recursive: true });
  const tmp = join(deps.tmpDir, `${randomBytes(8).toString('hex')}.part`);
  const hash = createHash('sha256');
  let size = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > deps.maxBytes) return done(new TooLarge());
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(download.body, count, createWriteStream(tmp), { signal });
    const digest = hash.digest();
    if (expectedSha256 !== null && !sha256Matches(expectedSha256, digest))
      throw new CaptureFailure(
        `downloaded bytes do not match Meta's sha256 (expected ${expectedSha256}, got ${digest.toString('hex')})`,
        false,
      );
    const key = digest.toString('hex');
    await deps.blobs.put(key, tmp, size, contentType);
    return { contentSha256: key, size, contentType };
  } catch (err) {
    if (err instanceof TooLarge)
      throw new CaptureFailure(`over WHARF_MEDIA_MAX_BYTES (${deps.maxBytes}) while downloading`, true);
    throw err;
  } finally {
    await rm(tmp, { force: true });
  }
}
