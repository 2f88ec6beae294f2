import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mediaOfEvent } from '../../../src/core/media/media-of-event.js';
import { sha256Matches } from '../../../src/core/media/sha256-matches.js';
import {
  MEDIA_ID_LIFETIME_MS,
  mediaGiveUpAt,
  nextMediaStep,
} from '../../../src/core/media/media-schedule.js';
import { parseS3Url } from '../../../src/core/media/parse-s3-url.js';
import { eventsOf } from '../../helpers/fixtures.js';

const media = (fixture: string) => eventsOf(fixture).map(mediaOfEvent);

describe('mediaOfEvent: every inbound media item, whatever carried it', () => {
  test('an inbound image: id, sha256 (base64), MIME type, the message and its number and time', () => {
    assert.deepEqual(media('messages/image.json'), [
      {
        mediaId: '1200000000000001',
        phoneNumberId: '900000000000001',
        wamid: 'wamid.EXAMPLEIMG1',
        mimeType: 'image/jpeg',
        sha256: 'q1w2e3r4t5y6u7i8o9p0AbCdEfGhIjKlMnOpQrStUvW=',
        url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=EXAMPLE1',
        occurredAt: 1_767_225_601_000,
      },
    ]);
  });

  test('video, audio, document and sticker messages each carry one', () => {
    for (const f of ['video', 'audio-voice', 'document', 'sticker'])
      assert.equal(media(`messages/${f}.json`)[0]?.mediaId.startsWith('12'), true, f);
  });

  test('history sync media follow-ups (hex sha256) and an echo edited to an image are captured too', () => {
    assert.deepEqual(
      media('history/media-follow-up.json').map((m) => m && [m.mediaId, m.sha256?.length]),
      [
        ['1200000000000009', 64],
        ['1200000000000010', 64],
      ],
    );
    assert.deepEqual(
      media('smb_message_echoes/revoke-and-edit.json').map((m) => m?.mediaId ?? null),
      [null, '1200000000000011'],
    );
  });

  test('text, statuses and template events carry none', () => {
    for (const f of [
      'messages/text.json',
      'messages/status-bsuid-only.json',
      'message_template_status_update/paused.json',
    ])
      assert.deepEqual(
        media(f),
        media(f).map(() => null),
        f,
      );
  });
});

describe('sha256Matches: base64 or hex, as Meta varies', () => {
  const bytes = Buffer.from('the KYC photo');
  const digest = createHash('sha256').update(bytes).digest();
  test('the same digest matches in hex (any case), base64 with or without padding, and URL-safe base64', () => {
    for (const form of [
      digest.toString('hex'),
      digest.toString('hex').toUpperCase(),
      digest.toString('base64'),
      digest.toString('base64').replace(/=+$/, ''),
      digest.toString('base64url'),
    ])
      assert.equal(sha256Matches(form, digest), true, form);
  });
  test('another digest does not match in any form', () => {
    const other = createHash('sha256').update('another photo').digest();
    for (const form of [other.toString('hex'), other.toString('base64'), '', 'not-a-hash'])
      assert.equal(sha256Matches(form, digest), false, form);
  });
});

describe('nextMediaStep: backoff until Meta forgets the media id (7 days after the message)', () => {
  const T = 1_767_225_600_000;
  test('the give-up time is 7 days after the message, or after registration when the message has no time', () => {
    assert.equal(mediaGiveUpAt(T, T + 5), T + MEDIA_ID_LIFETIME_MS);
    assert.equal(mediaGiveUpAt(null, T + 5), T + 5 + MEDIA_ID_LIFETIME_MS);
  });
  test('delays double from seconds up to an hour, with jitter on half of each', () => {
    const far = T + MEDIA_ID_LIFETIME_MS;
    const delay = (attempts: number, random: number) => {
      const step = nextMediaStep(attempts, T, far, random);
      assert.ok('retryAt' in step);
      return step.retryAt - T;
    };
    assert.equal(delay(1, 0), 2_500);
    assert.equal(delay(1, 0.999999), 5_000);
    assert.equal(delay(2, 0), 5_000);
    assert.ok(delay(5, 0.5) > delay(4, 0.5));
    assert.equal(delay(30, 1 - 1e-12), 3_600_000);
  });
  test('a retry is never planned past the give-up time, and once it has passed the item is given up', () => {
    assert.deepEqual(nextMediaStep(10, T, T + 1000, 0.5), { retryAt: T + 1000 });
    assert.deepEqual(nextMediaStep(10, T + 1000, T + 1000, 0.5), { giveUp: true });
  });
});

describe('parseS3Url: WHARF_MEDIA_S3_URL', () => {
  test('s3://bucket/prefix is AWS, credentials from the SDK chain', () => {
    assert.deepEqual(parseS3Url('s3://acme-media/wharf/inbound?region=eu-west-1'), {
      endpoint: null,
      bucket: 'acme-media',
      prefix: 'wharf/inbound',
      region: 'eu-west-1',
      credentials: null,
    });
  });
  test('an http(s) URL is an S3-compatible endpoint with the bucket first in the path', () => {
    assert.deepEqual(parseS3Url('http://minio:s3cr%2Ft@127.0.0.1:9000/media'), {
      endpoint: 'http://127.0.0.1:9000',
      bucket: 'media',
      prefix: '',
      region: 'us-east-1',
      credentials: { accessKeyId: 'minio', secretAccessKey: 's3cr/t' },
    });
  });
  test('no bucket, another scheme or not a URL is refused, saying what is wrong', () => {
    assert.throws(() => parseS3Url('http://127.0.0.1:9000/'), /names no bucket/);
    assert.throws(() => parseS3Url('ftp://host/bucket'), /scheme ftp:/);
    assert.throws(() => parseS3Url('media-bucket'), /is not a URL/);
  });
});
