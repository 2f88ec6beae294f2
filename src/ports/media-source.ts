/**
 * Meta's side of a media download (Meta's media page): `GET /{media-id}` → metadata with a download
 * URL valid for 5 minutes, then the bytes from that URL with the same bearer token. Adapter:
 * src/adapters/graph/graph-media-source.ts.
 * Meta's media page: https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/media
 */
import type { Readable } from 'node:stream';

export interface MediaMetadata {
  readonly url: string;
  readonly mimeType: string | null;
  readonly sha256: string | null;
  readonly fileSize: number | null;
}

/**
 * `gone`: Meta does not know the media id (expired or never existed: 404, or error code 100 with
 * 404); retrying cannot help. `expired`: the download URL answered 404/403/410 (its 5 minutes ran
 * out): ask for a fresh one. `transient`: anything else (network, 5xx, 429, 401 while a token is
 * renewed): retry later.
 */
export type MediaSourceFailure = 'gone' | 'expired' | 'transient';

export class MediaSourceError extends Error {
  constructor(
    readonly failure: MediaSourceFailure,
    message: string,
  ) {
    super(message);
    this.name = 'MediaSourceError';
  }
}

export interface MediaDownload {
  readonly body: Readable;
  readonly contentType: string | null;
  /** Content-Length when given. */
  readonly length: number | null;
}

export interface MediaSource {
  metadata(mediaId: string, phoneNumberId: string | null, signal: AbortSignal): Promise<MediaMetadata>;
  download(url: string, signal: AbortSignal): Promise<MediaDownload>;
  close(): Promise<void>;
}
