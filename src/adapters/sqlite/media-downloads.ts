/**
 * SQLite media downloads (src/ports/media-downloads.ts) on its own connection. A claim is one
 * IMMEDIATE transaction (SQLite has one writer at a time), so two processes never lease the same row.
 */
import type { MediaDownloads, MediaRecord, StoredContent } from '../../ports/media-downloads.js';
import type { MediaItem } from '../../core/media/media-of-event.js';
import { MEDIA_INSERT_COLUMNS, mediaInsertValues, mediaRecord } from '../media-rows.js';
import { openDatabase, type SqliteDatabase } from './open-database.js';
import { transientSqlite } from './transient-sqlite.js';

const wrap = <T>(fn: () => T): T => transientSqlite('media downloads', fn);

export class SqliteMediaDownloads implements MediaDownloads {
  private readonly db: SqliteDatabase;

  constructor(path: string, options: { busyTimeoutMs?: number } = {}) {
    this.db = openDatabase(path, { busyTimeoutMs: options.busyTimeoutMs ?? 5000 });
  }

  async register(
    items: readonly MediaItem[],
    giveUpAt: (item: MediaItem) => number,
    now: number,
  ): Promise<number> {
    const insert = this.db.prepare(
      `INSERT INTO media_files (${MEDIA_INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (media_id) DO NOTHING`,
    );
    return wrap(() =>
      this.db
        .transaction(() =>
          items.reduce(
            (sum, item) => sum + insert.run(...mediaInsertValues(item, giveUpAt(item), now)).changes,
            0,
          ),
        )
        .immediate(),
    );
  }

  async claim(owner: string, now: number, leaseMs: number, limit: number): Promise<MediaRecord[]> {
    const rows = wrap(
      () =>
        this.db
          .prepare(
            `UPDATE media_files SET lease_owner = ?, lease_until = ?, updated_at = ?
              WHERE media_id IN (SELECT media_id FROM media_files
                                  WHERE state = 'pending' AND next_attempt_at <= ?
                                    AND (lease_until IS NULL OR lease_until <= ?)
                                  ORDER BY next_attempt_at LIMIT ?)
              RETURNING *`,
          )
          .all(owner, now + leaseMs, now, now, now, limit) as Record<string, unknown>[],
    );
    return rows.map(mediaRecord);
  }

  private finish(sql: string, params: unknown[], mediaId: string, owner: string): boolean {
    return wrap(
      () =>
        this.db
          .prepare(
            `UPDATE media_files SET ${sql}, lease_owner = NULL, lease_until = NULL
                     WHERE media_id = ? AND lease_owner = ? AND state = 'pending'`,
          )
          .run(...params, mediaId, owner).changes === 1,
    );
  }

  async markStored(mediaId: string, owner: string, c: StoredContent, now: number): Promise<boolean> {
    return this.finish(
      `state = 'stored', attempts = attempts + 1, content_sha256 = ?, size = ?, content_type = ?,
       error = NULL, stored_at = ?, updated_at = ?`,
      [c.contentSha256, c.size, c.contentType, now, now],
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
      'attempts = attempts + 1, next_attempt_at = ?, error = ?, updated_at = ?',
      [nextAttemptAt, error, now],
      mediaId,
      owner,
    );
  }

  async markFailed(mediaId: string, owner: string, error: string, now: number): Promise<boolean> {
    return this.finish(
      `state = 'failed', attempts = attempts + 1, error = ?, updated_at = ?`,
      [error, now],
      mediaId,
      owner,
    );
  }

  async get(mediaId: string): Promise<MediaRecord | null> {
    const row = wrap(() => this.db.prepare('SELECT * FROM media_files WHERE media_id = ?').get(mediaId)) as
      Record<string, unknown> | undefined;
    return row === undefined ? null : mediaRecord(row);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
