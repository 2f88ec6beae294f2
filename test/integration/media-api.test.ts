/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read loosely; the assertions check their shape. */
/**
 * Media capture end to end (design §7.3): a signed webhook carrying media reaches a running Wharf,
 * whose worker fetches the file from the local Graph API mock, and the API serves it — from
 * WHARF_MEDIA_DIR, and from an S3-compatible bucket (s3rver, started here).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import { apiGet, postSigned } from '../helpers/post-signed.js';
import { startTestWharf, TEST_API_TOKEN, TEST_SECRET, type TestWharf } from '../helpers/start-test-wharf.js';
import { inbound } from '../conformance/conversation-store.conformance.js';
import { envelope, PNID } from '../helpers/webhook-bodies.js';
import { waitFor } from '../helpers/wait-for.js';
import { tempDir } from '../helpers/temp-dir.js';
import { startS3rver, type LocalS3 } from '../helpers/local-s3.js';
import { startGraphMock, type GraphMock } from '../../src/testing/graph-mock/start-graph-mock.js';
import type { SettingName } from '../../src/config/schema.js';
import { postgresSuite } from '../helpers/postgres-test-db.js';

const T = Math.floor(Date.now() / 1000);
const ANA = { waId: '447700900123', userId: 'GB.ANA1', name: 'Ana Ruiz' };

function echoDelivery(wamid: string, document: Record<string, unknown>): string {
  return envelope('smb_message_echoes', {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: '15551230000', phone_number_id: PNID },
    contacts: [{ wa_id: ANA.waId }],
    message_echoes: [
      { from: '15551230000', to: ANA.waId, id: wamid, timestamp: String(T), type: 'document', document },
    ],
  });
}

async function getJson(w: TestWharf, path: string) {
  const r = await apiGet(w.baseUrl, path, TEST_API_TOKEN);
  return { status: r.status, body: JSON.parse(r.body) as Record<string, any> };
}

async function storedMedia(w: TestWharf, wamid: string) {
  let media: Record<string, any> | undefined;
  await waitFor(
    `the media of ${wamid} to be stored`,
    async () => {
      const m = await getJson(w, `/api/v1/messages/${wamid}`);
      media = m.body['media'];
      return m.status === 200 && (media?.['stored'] === true || media?.['error'] != null);
    },
    15_000,
  );
  return media as Record<string, any>;
}

async function download(w: TestWharf, path: string) {
  const res = await fetch(w.baseUrl + path, { headers: { authorization: `Bearer ${TEST_API_TOKEN}` } });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    bytes: Buffer.from(await res.arrayBuffer()),
  };
}

/** Every file below `dir` (empty when it does not exist). */
function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name));
  } catch {
    return [];
  }
}

function mediaSuite(
  name: string,
  settings: (mock: GraphMock) => Promise<Partial<Record<SettingName, string>>>,
  keptIn: (mediaDir: string) => string,
) {
  describe(name, () => {
    let mock: GraphMock;
    let w: TestWharf;
    const dir = tempDir('wharf-media-api-');
    before(async () => {
      mock = await startGraphMock();
      w = await startTestWharf({
        WHATSAPP_GRAPH_URL: mock.url,
        WHATSAPP_ACCESS_TOKEN: mock.state.accessToken,
        WHARF_MEDIA_DIR: join(dir.path, 'media'),
        ...(await settings(mock)),
      });
    });
    after(async () => {
      await w.stop();
      await mock.close();
      dir.cleanup();
    });

    test('an inbound image is stored and served with the same bytes; the message says where', async () => {
      const bytes = randomBytes(40_000);
      const m = mock.state.media.add(bytes, { mimeType: 'image/jpeg' });
      const body = inbound(
        'wamid.IMG1',
        T,
        {
          type: 'image',
          image: { id: m.id, mime_type: 'image/jpeg', sha256: m.sha256, caption: 'my ID card' },
        },
        ANA,
      );
      assert.equal((await postSigned(`${w.baseUrl}/webhooks/whatsapp`, body, TEST_SECRET)).status, 200);
      const media = await storedMedia(w, 'wamid.IMG1');
      assert.deepEqual(media, {
        id: m.id,
        url: null,
        sha256: m.sha256,
        mime_type: 'image/jpeg',
        stored: true,
        stored_url: `/api/v1/media/${m.id}`,
        size: bytes.length,
        error: null,
      });
      const got = await download(w, media['stored_url']);
      assert.equal(got.status, 200);
      assert.equal(got.type, 'image/jpeg');
      assert.deepEqual(got.bytes, bytes);
      assert.equal(createHash('sha256').update(got.bytes).digest('base64'), m.sha256);
      const conversation = (await getJson(w, '/api/v1/conversations/447700900123')).body;
      assert.equal(
        conversation['media_url'],
        `/api/v1/media/${m.id}`,
        'the conversation links the stored file',
      );
      assert.equal(
        conversation['recent_messages'].find((x: any) => x.wamid === 'wamid.IMG1')?.media_url,
        `/api/v1/media/${m.id}`,
      );
      const metrics = await (await fetch(`${w.baseUrl}/metrics`)).text();
      assert.match(metrics, /^wharf_media_downloads_total\{outcome="stored"\} [1-9]/m);
      assert.match(metrics, /^wharf_media_stored_bytes_total [1-9]/m);
      const where = keptIn(join(dir.path, 'media'));
      assert.ok(
        filesUnder(where).some((f) => f.includes(m.sha256Hex)),
        `the file is kept under ${where}, named by its sha256`,
      );
    });

    test("the business app's echo of a document (hex sha256) is kept too", async () => {
      const bytes = Buffer.from(`%PDF-1.7 invoice ${randomBytes(8).toString('hex')}`);
      const m = mock.state.media.add(bytes, { mimeType: 'application/pdf' });
      const body = echoDelivery('wamid.ECHODOC1', {
        id: m.id,
        mime_type: 'application/pdf',
        sha256: m.sha256Hex,
        filename: 'invoice.pdf',
      });
      assert.equal((await postSigned(`${w.baseUrl}/webhooks/whatsapp`, body, TEST_SECRET)).status, 200);
      const media = await storedMedia(w, 'wamid.ECHODOC1');
      assert.equal(media['stored'], true);
      assert.deepEqual((await download(w, media['stored_url'])).bytes, bytes);
    });

    test('media Meta no longer has: the message shows the error, wharf.media.failed is listed, the route answers 404', async () => {
      const body = inbound(
        'wamid.GONE1',
        T,
        { type: 'image', image: { id: '1777777777777777', mime_type: 'image/png' } },
        ANA,
      );
      assert.equal((await postSigned(`${w.baseUrl}/webhooks/whatsapp`, body, TEST_SECRET)).status, 200);
      const media = await storedMedia(w, 'wamid.GONE1');
      assert.equal(media['stored'], false);
      assert.equal(media['stored_url'], null);
      assert.match(media['error'], /Meta no longer has this media/);
      await waitFor('wharf.media.failed', async () => {
        const events = await getJson(w, '/api/v1/events?name=wharf.media.failed');
        return events.body['data'].some((e: any) => e.data.media_id === '1777777777777777');
      });
      const missing = await getJson(w, '/api/v1/media/1777777777777777');
      assert.equal(missing.status, 404);
      assert.equal(missing.body['error']['code'], 'MEDIA_NOT_STORED');
      assert.match(missing.body['error']['message'], /given up after 1 attempt/);
    });

    test('a Graph API that does not answer never holds up the message: it is processed, its media pending', async () => {
      const m = mock.state.media.add(randomBytes(1000));
      mock.state.failNext({ hang: true });
      const body = inbound(
        'wamid.SLOW1',
        T,
        { type: 'sticker', sticker: { id: m.id, mime_type: 'image/webp', sha256: m.sha256 } },
        ANA,
      );
      assert.equal((await postSigned(`${w.baseUrl}/webhooks/whatsapp`, body, TEST_SECRET)).status, 200);
      await waitFor(
        'the message to be processed',
        async () => (await getJson(w, '/api/v1/messages/wamid.SLOW1')).status === 200,
      );
      const media = (await getJson(w, '/api/v1/messages/wamid.SLOW1')).body['media'];
      assert.equal(media['stored'], false);
      assert.equal(media['error'], null, 'no attempt has finished yet');
      const r = await getJson(w, `/api/v1/media/${m.id}`);
      assert.equal(r.status, 404);
      assert.match(r.body['error']['message'], /not downloaded yet/);
    });

    test('an unknown media id answers 404 MEDIA_NOT_STORED saying so', async () => {
      const r = await getJson(w, '/api/v1/media/123');
      assert.equal(r.status, 404);
      assert.equal(r.body['error']['code'], 'MEDIA_NOT_STORED');
      assert.match(r.body['error']['message'], /no download is registered for this media id/);
    });
  });
}

mediaSuite(
  'media capture into WHARF_MEDIA_DIR',
  async () => ({}),
  (mediaDir) => mediaDir,
);

await postgresSuite('media capture on PostgreSQL', (pg) => {
  mediaSuite(
    'into WHARF_MEDIA_DIR, state in PostgreSQL',
    async () => ({ DATABASE_URL: await pg.freshSchemaUrl() }),
    (mediaDir) => mediaDir,
  );
});

let s3: LocalS3 | undefined;
mediaSuite(
  'media capture into an S3-compatible bucket (s3rver)',
  async () => {
    s3 = await startS3rver('wharf-media');
    return { WHARF_MEDIA_S3_URL: `${s3.url}/wharf-media/inbound` };
  },
  (mediaDir) => {
    assert.deepEqual(filesUnder(mediaDir), [], 'nothing is kept in WHARF_MEDIA_DIR when a bucket is set');
    return join(s3?.directory ?? '', 'wharf-media', 'inbound');
  },
);
after(async () => {
  await s3?.close();
});
