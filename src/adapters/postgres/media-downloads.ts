/**
 * PostgreSQL media downloads (src/ports/media-downloads.ts) on the process's pool. A claim takes
 * due rows with FOR UPDATE SKIP LOCKED, so worker processes claiming at once never lease the same
 * row (one download per media id).
 */
import type { MediaDownloads, MediaRecord, StoredContent } from '../../ports/media-downloads.js';
import type { MediaItem } from '../../core/media/media-of-event.js';
import { MEDIA_INSERT_COLUMNS, mediaInsertValues, mediaRecord } from '../media-rows.js';
import type { PostgresDatabase } from './open-database.js';
import { classify } from './storage-error.js';

export class PostgresMediaDownloads implements MediaDownloads {
  constructor(private readonly db: PostgresDatabase) {}

  private async query(what: string, sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
    try {
      return (await this.db.pool.query(sql, params)).rows as Record<string, unknown>[];
    } catch (err) {
      throw classify(`media downloads: ${what} failed`, err);
    }
  }

  async register(
    items: readonly MediaItem[],
    giveUpAt: (item: MediaItem) => number,
    now: number,
  ): Promise<number> {
    if (items.length === 0) return 0;
    const values: unknown[] = [];
    const tuples = items.map((item) => {
      const row = mediaInsertValues(item, giveUpAt(item), now);
      const start = values.length;
      values.push(...row);
      return `(${row.map((_, i) => `$${start + i + 1}`).join(', ')})`;
    });
    const rows = await this.query(
      'register',
      `INSERT INTO media_files (${MEDIA_INSERT_COLUMNS}) VALUES ${tuples.join(', ')}
       ON CONFLICT (media_id) DO NOTHING RETURNING media_id`,
      values,
    );
    return rows.length;
  }

  async claim(owner: string, now: number, leaseMs: number, limit: number): Promise<MediaRecord[]> {
    const rows = await this.query(
      'claim',
      `UPDATE media_files SET lease_owner = $1, lease_until = $2, updated_at = $3
        WHERE media_id IN (SELECT media_id FROM media_files
                            WHERE state = 'pending' AND next_attempt_at <= $3
                              AND (lease_until IS NULL OR lease_until <= $3)
                            ORDER BY next_attempt_at LIMIT $4
                            FOR UPDATE SKIP LOCKED)
        RETURNING *`,
      [owner, now + leaseMs, now, limit],
    );
    return rows.map(mediaRecord);
  }

  private async finish(set: string, params: unknown[], mediaId: string, owner: string): Promise<boolean> {
    const k = params.length;
    const rows = await this.query(
      'update',
      `UPDATE media_files SET ${set}, lease_owner = NULL, lease_until = NULL
        WHERE media_id = $${k + 1} AND lease_owner = $${k + 2} AND state = 'pending' RETURNING media_id`,
      [...params, mediaId, owner],
    );
    return rows.length === 1;
  }

  async markStored(mediaId: string, owner: string, c: StoredContent, now: number): Promise<boolean> {
    return this.finish(
      `state = 'stored', attempts = attempts + 1, content_sha256 = $1, size = $2, content_type = $3,
       error = NULL, stored_at = $4, updated_at = $4`,
      [c.contentSha256, c.size, c.contentType, now],
      mediaId,
      owner,
    );
  }

  async retry(
    mediaId: string,
    owner: string,
    nextAttemptAt: number,
    error: string,
    now: number,
  ): Promise<boolean> {
    return this.finish(
      'attempts = attempts + 1, next_attempt_at = $1, error = $2, updated_at = $3',
      [nextAttemptAt, error, now],
      mediaId,
      owner,
    );
  }

  async markFailed(mediaId: string, owner: string, error: string, now: number): Promise<boolean> {
    return this.finish(
      `state = 'failed', attempts = attempts + 1, error = $1, updated_at = $2`,
      [error, now],
      mediaId,
      owner,
    );
  }

  async get(mediaId: string): Promise<MediaRecord | null> {
    const rows = await this.query('read', 'SELECT * FROM media_files WHERE media_id = $1', [mediaId]);
    return rows[0] === undefined ? null : mediaRecord(rows[0]);
  }

  /** The pool is the process's, closed with the rest of storage. */
  async close(): Promise<void> {}
}
