/**
 * The media the Graph API mock holds (Meta's "Media" page): each item has an id, MIME type, sha256
 * and size; `GET /{media-id}` hands out a download URL that needs the bearer token and expires 5
 * minutes later on the mock's clock. Tests add media, corrupt a download, and count what was asked.
 */
import { createHash, randomBytes } from 'node:crypto';

/** Meta's download URLs live 5 minutes (Meta's media page). */
export const MEDIA_URL_TTL_MS = 5 * 60_000;

export interface MockMediaItem {
  readonly id: string;
  readonly bytes: Buffer;
  readonly mimeType: string;
  /** base64, as in `messages` webhooks (hex variants: `sha256Hex`). */
  readonly sha256: string;
  readonly sha256Hex: string;
}

export interface AddMediaOptions {
  readonly id?: string;
  readonly mimeType?: string;
}

export class MockMedia {
  private readonly items = new Map<string, MockMediaItem>();
  private readonly urls = new Map<string, { readonly mediaId: string; readonly expiresAt: number }>();
  private readonly corrupt = new Map<string, number>();
  private nextId = 1_200_000_000_000_000;
  /** Metadata requests per media id (`GET /{media-id}`). */
  readonly metadataCalls = new Map<string, number>();
  /** Answered byte downloads per media id. */
  readonly downloads = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  /** Holds `bytes` as a media item (as if a customer had sent it) and returns it. */
  add(bytes: Buffer, options: AddMediaOptions = {}): MockMediaItem {
    const digest = createHash('sha256').update(bytes).digest();
    const item: MockMediaItem = {
      id: options.id ?? String(this.nextId++),
      bytes,
      mimeType: options.mimeType ?? 'image/jpeg',
      sha256: digest.toString('base64'),
      sha256Hex: digest.toString('hex'),
    };
    this.items.set(item.id, item);
    return item;
  }

  get(id: string): MockMediaItem | undefined {
    return this.items.get(id);
  }

  /** Meta forgets the media (its 7 days ran out): `GET /{media-id}` answers 404 from now on. */
  forget(id: string): void {
    this.items.delete(id);
  }

  /** The next `times` downloads of `id` serve other bytes than its sha256 says (a corrupted transfer). */
  corruptNext(id: string, times = 1): void {
    this.corrupt.set(id, (this.corrupt.get(id) ?? 0) + times);
  }

  /** A fresh download URL path (with query) for `id`, valid for 5 minutes from now. */
  issueUrl(id: string): string {
    const token = randomBytes(12).toString('hex');
    this.urls.set(token, { mediaId: id, expiresAt: this.now() + MEDIA_URL_TTL_MS });
    this.metadataCalls.set(id, (this.metadataCalls.get(id) ?? 0) + 1);
    return `/whatsapp_business/attachments/?mid=${encodeURIComponent(id)}&ext=${token}`;
  }

  /** The bytes a download URL gives now, or null when it is unknown or expired (Meta: 404). */
  resolve(token: string): { item: MockMediaItem; bytes: Buffer } | null {
    const url = this.urls.get(token);
    if (url === undefined || this.now() >= url.expiresAt) return null;
    const item = this.items.get(url.mediaId);
    if (item === undefined) return null;
    this.downloads.set(item.id, (this.downloads.get(item.id) ?? 0) + 1);
    const left = this.corrupt.get(item.id) ?? 0;
    if (left === 0) return { item, bytes: item.bytes };
    this.corrupt.set(item.id, left - 1);
    const bytes = Buffer.from(item.bytes);
    bytes[0] = (bytes[0] ?? 0) ^ 0xff;
    return { item, bytes };
  }
}
