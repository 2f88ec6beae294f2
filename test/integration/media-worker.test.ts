/**
 * Media capture against the local Graph API mock (design §7.3, reference §7.2): every inbound media
 * item is fetched (`GET /{media-id}` → a 5-minute URL → the bytes with the bearer token), checked
 * against Meta's sha256 (base64 or hex), stored content-addressed, retried with backoff until Meta's
 * 7 days run out, and given up with `wharf.media.failed`. Time is injected: nothing here waits for
 * a backoff to pass.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { randomBytes } from 'node:crypto';
import { mediaBed, mediaItem, T0, type MediaBed } from '../helpers/media-bed.js';
import { tempDir } from '../helpers/temp-dir.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import { openDatabase } from '../../src/adapters/sqlite/open-database.js';
import { migrate } from '../../src/adapters/sqlite/migrate.js';
import { SqliteMediaDownloads } from '../../src/adapters/sqlite/media-downloads.js';
import type { MediaDownloads } from '../../src/ports/media-downloads.js';
import { postgresSuite } from '../helpers/postgres-test-db.js';
import { openDatabase as openPostgres } from '../../src/adapters/postgres/open-database.js';
import { migrate as migratePostgres } from '../../src/adapters/postgres/migrate.js';
import { PostgresMediaDownloads } from '../../src/adapters/postgres/media-downloads.js';
import { MEDIA_URL_TTL_MS } from '../../src/testing/graph-mock/mock-media.js';

const DAY = 86_400_000;

async function onSqlite(
  body: (bed: MediaBed, downloads: SqliteMediaDownloads, path: string) => Promise<void>,
) {
  const dir = tempDir('wharf-media-db-');
  const path = join(dir.path, 'wharf.db');
  const db = openDatabase(path);
  migrate(db, 0);
  db.close();
  const downloads = new SqliteMediaDownloads(path);
  const bed = await mediaBed(downloads);
  try {
    await body(bed, downloads, path);
  } finally {
    await bed.dispose();
    await downloads.close();
    dir.cleanup();
  }
}

async function storedBytes(bed: MediaBed, mediaId: string): Promise<Buffer> {
  const r = await bed.record(mediaId);
  assert.equal(r?.state, 'stored', `media ${mediaId} is ${r?.state}: ${r?.error}`);
  const blob = await bed.blobs.open(r.contentSha256 ?? '');
  assert.ok(blob, 'the stored file exists');
  return buffer(blob.body);
}

describe('media capture', () => {
  test('an inbound image is stored with the same bytes, its base64 sha256 checked, downloaded once', () =>
    onSqlite(async (bed, downloads) => {
      const bytes = randomBytes(50_000);
      const m = bed.mock.state.media.add(bytes, { mimeType: 'image/jpeg' });
      bed.worker(downloads);
      await bed.register(mediaItem(m.id, { sha256: m.sha256 }));
      assert.equal((await bed.settled(m.id)).outcome, 'stored');
      assert.deepEqual(await storedBytes(bed, m.id), bytes);
      const r = await bed.record(m.id);
      assert.equal(r?.size, bytes.length);
      assert.equal(r?.contentSha256, m.sha256Hex, 'stored under the hex sha256 of its bytes');
      assert.equal(r?.contentType, 'image/jpeg');
      assert.equal(bed.mock.state.media.downloads.get(m.id), 1);
    }));

  test('a hex sha256 (history sync, edits) is accepted too', () =>
    onSqlite(async (bed, downloads) => {
      const m = bed.mock.state.media.add(Buffer.from('%PDF-1.7 statement'), { mimeType: 'application/pdf' });
      bed.worker(downloads);
      await bed.register(mediaItem(m.id, { sha256: m.sha256Hex, mimeType: 'application/pdf' }));
      assert.equal((await bed.settled(m.id)).outcome, 'stored');
    }));

  test('a corrupted download (wrong sha256) is not stored, and is retried until the bytes match', () =>
    onSqlite(async (bed, downloads) => {
      const bytes = randomBytes(10_000);
      const m = bed.mock.state.media.add(bytes);
      bed.mock.state.media.corruptNext(m.id, 1);
      bed.worker(downloads);
      await bed.register(mediaItem(m.id, { sha256: m.sha256 }));
      assert.equal((await bed.settled(m.id, 1)).outcome, 'retry');
      const pending = await bed.record(m.id);
      assert.equal(pending?.state, 'pending');
      assert.match(pending?.error ?? '', /do not match Meta's sha256/);
      assert.ok((pending?.nextAttemptAt ?? 0) > bed.clock, 'retried later, not at once');
      assert.deepEqual(
        readdirSync(bed.mediaDir).filter((f) => f !== '.tmp'),
        [],
        'nothing was stored',
      );
      assert.deepEqual(readdirSync(join(bed.mediaDir, '.tmp')), [], 'the partial file was removed');
      await bed.toNextAttempt(m.id);
      assert.equal((await bed.settled(m.id, 2)).outcome, 'stored');
      assert.deepEqual(await storedBytes(bed, m.id), bytes);
      assert.equal((await bed.record(m.id))?.error, null);
    }));

  test("a webhook's download URL older than 5 minutes is replaced by a fresh one", () =>
    onSqlite(async (bed, downloads) => {
      const m = bed.mock.state.media.add(randomBytes(2048));
      const hint = `${bed.mock.origin}${bed.mock.state.media.issueUrl(m.id)}`;
      bed.clock += MEDIA_URL_TTL_MS + 1000; // the delivery was delayed: the webhook's URL expired
      bed.worker(downloads);
      await bed.register(mediaItem(m.id, { sha256: m.sha256, url: hint }));
      assert.equal((await bed.settled(m.id)).outcome, 'stored');
      assert.equal(bed.mock.state.media.metadataCalls.get(m.id), 2, 'a second URL was asked for');
      assert.equal(bed.mock.state.media.downloads.get(m.id), 1);
    }));

  test("a webhook's URL still valid is used as it is (no metadata call)", () =>
    onSqlite(async (bed, downloads) => {
      const m = bed.mock.state.media.add(randomBytes(2048));
      const hint = `${bed.mock.origin}${bed.mock.state.media.issueUrl(m.id)}`;
      bed.worker(downloads);
      await bed.register(mediaItem(m.id, { sha256: m.sha256, url: hint }));
      assert.equal((await bed.settled(m.id)).outcome, 'stored');
      assert.equal(bed.mock.state.media.metadataCalls.get(m.id), 1, 'only the one behind the hint');
    }));

  test('Graph unreachable for a while, then back: retried with the reason recorded, then stored', () =>
    onSqlite(async (bed, downloads) => {
      const port = Number(new URL(bed.mock.origin).port);
      const proxy = await startTcpProxy('127.0.0.1', port);
      try {
        const m = bed.mock.state.media.add(randomBytes(4096));
        await proxy.cut();
        bed.worker(downloads, { graphUrl: `http://127.0.0.1:${proxy.port}/v24.0` });
        await bed.register(mediaItem(m.id, { sha256: m.sha256 }));
        assert.equal((await bed.settled(m.id, 1)).outcome, 'retry');
        assert.match((await bed.record(m.id))?.error ?? '', /Graph API unreachable/);
        await bed.toNextAttempt(m.id);
        assert.equal((await bed.settled(m.id, 2)).outcome, 'retry');
        const second = await bed.record(m.id);
        assert.equal(second?.attempts, 2);
        await proxy.restore();
        await bed.toNextAttempt(m.id);
        assert.equal((await bed.settled(m.id, 3)).outcome, 'stored');
      } finally {
        await proxy.close();
      }
    }));

  test('Meta answering 500 is retried with backoff; the delays grow', () =>
    onSqlite(async (bed, downloads) => {
      const m = bed.mock.state.media.add(randomBytes(100));
      bed.mock.state.failNext(
        { status: 500, json: { error: { message: 'An unknown error occurred', code: 1 } } },
        2,
      );
      bed.worker(downloads);
      await bed.register(mediaItem(m.id, { sha256: m.sha256 }));
      await bed.settled(m.id, 1);
      const first = (await bed.record(m.id))?.nextAttemptAt ?? 0;
      const d1 = first - bed.clock;
      await bed.toNextAttempt(m.id);
      await bed.settled(m.id, 2);
      const d2 = ((await bed.record(m.id))?.nextAttemptAt ?? 0) - bed.clock;
      assert.ok(d2 > d1, `second delay ${d2} ms is longer than the first ${d1} ms`);
      await bed.toNextAttempt(m.id);
      assert.equal((await bed.settled(m.id, 3)).outcome, 'stored');
    }));

  test('a media id Meta does not know (404) is given up at once with wharf.media.failed', () =>
    onSqlite(async (bed, downloads) => {
      bed.worker(downloads);
      await bed.register(mediaItem('1999999999999999', { wamid: 'wamid.GONE' }));
      assert.equal((await bed.settled('1999999999999999')).outcome, 'failed');
      const r = await bed.record('1999999999999999');
      assert.equal(r?.state, 'failed');
      assert.match(r?.error ?? '', /Meta no longer has this media/);
      assert.equal(bed.emitted.length, 1);
      const event = bed.emitted[0];
      assert.equal(event?.name, 'wharf.media.failed');
      assert.deepEqual(event?.data, {
        mediaId: '1999999999999999',
        wamid: 'wamid.GONE',
        phoneNumberId: '900000000000001',
        attempts: 1,
        error: r?.error,
      });
    }));

  test("retries stop when Meta's 7 days have run out, with wharf.media.failed", () =>
    onSqlite(async (bed, downloads) => {
      const m = bed.mock.state.media.add(randomBytes(100));
      bed.mock.state.failNext({ status: 503, json: {} }, 1000);
      bed.worker(downloads);
      // The message is 7 days old but for one minute.
      await bed.register(mediaItem(m.id, { sha256: m.sha256, occurredAt: bed.clock - 7 * DAY + 60_000 }));
      let n = 1;
      for (; ; n++) {
        const o = await bed.settled(m.id, n);
        if (o.outcome === 'failed') break;
        const r = await bed.record(m.id);
        assert.ok((r?.nextAttemptAt ?? Infinity) <= T0 + 60_000, 'no retry is planned past the 7 days');
        await bed.toNextAttempt(m.id);
      }
      assert.ok(n >= 2, 'it was retried before giving up');
      assert.equal(bed.emitted[0]?.name, 'wharf.media.failed');
      assert.match((await bed.record(m.id))?.error ?? '', /503/);
    }));

  test('a file over WHARF_MEDIA_MAX_BYTES is given up at once, nothing kept', () =>
    onSqlite(async (bed, downloads) => {
      const m = bed.mock.state.media.add(randomBytes(5000));
      bed.worker(downloads, { maxBytes: 4096 });
      await bed.register(mediaItem(m.id, { sha256: m.sha256 }));
      assert.equal((await bed.settled(m.id)).outcome, 'failed');
      assert.match((await bed.record(m.id))?.error ?? '', /over WHARF_MEDIA_MAX_BYTES \(4096\)/);
      assert.equal(bed.emitted[0]?.name, 'wharf.media.failed');
    }));

  test('two workers on one database: one download per media id', () =>
    onSqlite(async (bed, downloads, path) => {
      const second = new SqliteMediaDownloads(path);
      try {
        await twoWorkersOneDownload(bed, downloads, second);
      } finally {
        await second.close();
      }
    }));
});

async function twoWorkersOneDownload(bed: MediaBed, a: MediaDownloads, b: MediaDownloads): Promise<void> {
  const items = Array.from({ length: 24 }, () => bed.mock.state.media.add(randomBytes(3000)));
  bed.worker(a);
  bed.worker(b);
  await bed.register(...items.map((m) => mediaItem(m.id, { sha256: m.sha256 })));
  for (const m of items) assert.equal((await bed.settled(m.id)).outcome, 'stored');
  for (const m of items) assert.equal(bed.mock.state.media.downloads.get(m.id), 1, `media ${m.id}`);
  assert.equal(bed.outcomes.length, 24);
}

await postgresSuite('media capture on PostgreSQL', (pg) => {
  test('two worker processes (two pools) on one database: one download per media id', async () => {
    const url = await pg.freshSchemaUrl();
    const one = openPostgres(url);
    const two = openPostgres(url);
    await migratePostgres(one, 0);
    const a = new PostgresMediaDownloads(one);
    const bed = await mediaBed(a);
    try {
      await twoWorkersOneDownload(bed, a, new PostgresMediaDownloads(two));
    } finally {
      await bed.dispose();
      await one.pool.end();
      await two.pool.end();
    }
  });
});
