/**
 * The database side of media capture (docs/sending.md, "Media"): one row per inbound media id, its download
 * state, and a lease so that several worker processes make one download per media id. Adapters:
 * src/adapters/sqlite/media-downloads.ts and src/adapters/postgres/media-downloads.ts (same names);
 * conformance in test/conformance/media-downloads.*.
 */
import type { MediaItem } from '../core/media/media-of-event.js';

export type MediaState = 'pending' | 'stored' | 'failed';

export interface MediaRecord {
  readonly mediaId: string;
  readonly phoneNumberId: string | null;
  readonly wamid: string | null;
  readonly mimeType: string | null;
  /** Meta's sha256 as sent (base64 or hex). */
  readonly sha256: string | null;
  readonly hintUrl: string | null;
  readonly occurredAt: number | null;
  readonly giveUpAt: number;
  readonly state: MediaState;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  /** Hex sha256 of the stored bytes: the key in the media storage. */
  readonly contentSha256: string | null;
  readonly size: number | null;
  readonly contentType: string | null;
  /** The last failure, in words; kept while pending so the API can say what is happening. */
  readonly error: string | null;
  readonly storedAt: number | null;
}

export interface StoredContent {
  readonly contentSha256: string;
  readonly size: number;
  readonly contentType: string | null;
}

export interface MediaDownloads {
  /** Adds new media ids (pending, due now); an id already known is left as it is. Returns how many were new. */
  register(items: readonly MediaItem[], giveUpAt: (item: MediaItem) => number, now: number): Promise<number>;
  /**
   * Leases up to `limit` pending rows that are due and not leased by a live owner; a row is
   * leased by one owner at a time, whichever process asks.
   */
  claim(owner: string, now: number, leaseMs: number, limit: number): Promise<MediaRecord[]>;
  /** Each of these returns false when `owner` no longer holds the lease (another process took over). */
  markStored(mediaId: string, owner: string, content: StoredContent, now: number): Promise<boolean>;
  /** Back to pending for a retry at `nextAttemptAt`, attempts counted, the error kept. */
  retry(mediaId: string, owner: string, nextAttemptAt: number, error: string, now: number): Promise<boolean>;
  /** Given up: never tried again (wharf.media.failed is emitted by the caller). */
  markFailed(mediaId: string, owner: string, error: string, now: number): Promise<boolean>;
  get(mediaId: string): Promise<MediaRecord | null>;
  close(): Promise<void>;
}
