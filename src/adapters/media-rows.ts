/** Row ↔ record mapping of `media_files`, shared by the SQLite and PostgreSQL media downloads. */
import type { MediaRecord, MediaState } from '../ports/media-downloads.js';
import type { MediaItem } from '../core/media/media-of-event.js';

type Row = Record<string, unknown>;
const s = (x: unknown): string | null => (typeof x === 'string' ? x : null);
const n = (x: unknown): number | null => (typeof x === 'number' ? x : x === null ? null : Number(x));

export const MEDIA_INSERT_COLUMNS =
  'media_id, phone_number_id, wamid, mime_type, sha256, hint_url, occurred_at, give_up_at, next_attempt_at, created_at, updated_at';

export function mediaInsertValues(item: MediaItem, giveUpAt: number, now: number): unknown[] {
  return [
    item.mediaId,
    item.phoneNumberId,
    item.wamid,
    item.mimeType,
    item.sha256,
    item.url,
    item.occurredAt,
    giveUpAt,
    now,
    now,
    now,
  ];
}

export function mediaRecord(r: Row): MediaRecord {
  return {
    mediaId: String(r['media_id']),
    phoneNumberId: s(r['phone_number_id']),
    wamid: s(r['wamid']),
    mimeType: s(r['mime_type']),
    sha256: s(r['sha256']),
    hintUrl: s(r['hint_url']),
    occurredAt: n(r['occurred_at']),
    giveUpAt: Number(r['give_up_at']),
    state: String(r['state']) as MediaState,
    attempts: Number(r['attempts']),
    nextAttemptAt: Number(r['next_attempt_at']),
    contentSha256: s(r['content_sha256']),
    size: n(r['size']),
    contentType: s(r['content_type']),
    error: s(r['error']),
    storedAt: n(r['stored_at']),
  };
}
