/**
 * The behaviours every MediaDownloads adapter must have (src/ports/media-downloads.ts): a media id
 * registered once, claims that never hand one row to two owners, outcomes recorded only by the
 * lease holder, and an expired lease taken over.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MediaDownloads } from '../../src/ports/media-downloads.js';
import type { MediaItem } from '../../src/core/media/media-of-event.js';

export interface MediaDownloadsUnderTest {
  readonly downloads: MediaDownloads;
  /** A second connection (or pool) on the same database, as another worker process has. */
  readonly other: MediaDownloads;
  dispose(): Promise<void>;
}

const T = 1_767_225_600_000;
const item = (mediaId: string, over: Partial<MediaItem> = {}): MediaItem => ({
  mediaId,
  phoneNumberId: '900000000000001',
  wamid: `wamid.${mediaId}`,
  mimeType: 'image/jpeg',
  sha256: 'q1w2e3r4t5y6u7i8o9p0AbCdEfGhIjKlMnOpQrStUvW=',
  url: null,
  occurredAt: T,
  ...over,
});
const giveUp = (i: MediaItem) => (i.occurredAt ?? T) + 7 * 86_400_000;

export function mediaDownloadsConformance(name: string, make: () => Promise<MediaDownloadsUnderTest>): void {
  describe(`MediaDownloads conformance: ${name}`, () => {
    test('a media id is registered once, with what the webhook said about it', async () => {
      const { downloads, dispose } = await make();
      try {
        assert.equal(await downloads.register([item('1'), item('2')], giveUp, T), 2);
        assert.equal(await downloads.register([item('1', { wamid: 'wamid.other' })], giveUp, T + 1), 0);
        const r = await downloads.get('1');
        assert.equal(r?.wamid, 'wamid.1');
        assert.equal(r?.state, 'pending');
        assert.equal(r?.attempts, 0);
        assert.equal(r?.giveUpAt, T + 7 * 86_400_000);
        assert.equal(r?.sha256, 'q1w2e3r4t5y6u7i8o9p0AbCdEfGhIjKlMnOpQrStUvW=');
        assert.equal(await downloads.get('nope'), null);
      } finally {
        await dispose();
      }
    });

    test('two owners claiming at once never get the same row', async () => {
      const { downloads, other, dispose } = await make();
      try {
        const ids = Array.from({ length: 40 }, (_, i) => String(1000 + i));
        await downloads.register(
          ids.map((id) => item(id)),
          giveUp,
          T,
        );
        const [a, b] = await Promise.all([
          downloads.claim('a', T, 60_000, 25),
          other.claim('b', T, 60_000, 25),
        ]);
        const seen = [...a, ...b].map((r) => r.mediaId);
        assert.equal(new Set(seen).size, seen.length, 'a row was leased twice');
        assert.equal(seen.length, 40);
        assert.deepEqual(await downloads.claim('c', T + 1, 60_000, 10), [], 'leased rows are not claimable');
      } finally {
        await dispose();
      }
    });

    test('only the lease holder records an outcome; stored keeps the content key and size', async () => {
      const { downloads, dispose } = await make();
      try {
        await downloads.register([item('7')], giveUp, T);
        await downloads.claim('a', T, 60_000, 5);
        const content = { contentSha256: 'ab'.repeat(32), size: 12, contentType: 'image/jpeg' };
        assert.equal(await downloads.markStored('7', 'b', content, T + 5), false);
        assert.equal(await downloads.markStored('7', 'a', content, T + 5), true);
        const r = await downloads.get('7');
        assert.equal(r?.state, 'stored');
        assert.equal(r?.contentSha256, 'ab'.repeat(32));
        assert.equal(r?.size, 12);
        assert.equal(r?.attempts, 1);
        assert.equal(r?.storedAt, T + 5);
        assert.deepEqual(
          await downloads.claim('a', T + 10 ** 9, 60_000, 5),
          [],
          'a stored row is never claimed',
        );
      } finally {
        await dispose();
      }
    });

    test('a retry waits until its time and keeps the error; a failure is final', async () => {
      const { downloads, dispose } = await make();
      try {
        await downloads.register([item('8'), item('9')], giveUp, T);
        await downloads.claim('a', T, 60_000, 5);
        assert.equal(await downloads.retry('8', 'a', T + 5000, 'Graph API answered 500', T), true);
        assert.equal(await downloads.markFailed('9', 'a', 'Meta no longer has this media', T), true);
        assert.deepEqual(await downloads.claim('a', T + 4999, 60_000, 5), []);
        const again = await downloads.claim('a', T + 5000, 60_000, 5);
        assert.deepEqual(
          again.map((r) => [r.mediaId, r.attempts, r.error]),
          [['8', 1, 'Graph API answered 500']],
        );
        const failed = await downloads.get('9');
        assert.equal(failed?.state, 'failed');
        assert.equal(failed?.error, 'Meta no longer has this media');
      } finally {
        await dispose();
      }
    });

    test('a lease that ran out (a worker died) is taken over, and the old owner can no longer record', async () => {
      const { downloads, other, dispose } = await make();
      try {
        await downloads.register([item('11')], giveUp, T);
        assert.equal((await downloads.claim('dead', T, 1000, 5)).length, 1);
        assert.deepEqual(await other.claim('alive', T + 999, 1000, 5), []);
        assert.equal((await other.claim('alive', T + 1000, 1000, 5)).length, 1);
        const content = { contentSha256: 'cd'.repeat(32), size: 3, contentType: null };
        assert.equal(await downloads.markStored('11', 'dead', content, T + 1001), false);
        assert.equal(await other.markStored('11', 'alive', content, T + 1001), true);
      } finally {
        await dispose();
      }
    });
  });
}
