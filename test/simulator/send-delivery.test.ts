import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifySignature } from '../../src/core/verify-signature.js';
import { sendDelivery } from '../../src/simulator/send-delivery.js';
import { closedPort, startServer, type LocalServer } from './local-server.js';

const SECRET = 'app-secret-1';

describe('sendDelivery', () => {
  let server: LocalServer;
  before(async () => {
    server = await startServer((req, res) => {
      if (req.url.includes('slow')) return; // never answers
      res.writeHead(req.url.includes('fail') ? 503 : 200).end('ok');
    });
  });
  after(() => server.close());

  it('signs exactly the bytes it sends, so verifySignature accepts them with the app secret', async () => {
    const result = await sendDelivery({ url: server.url, secret: SECRET, body: { text: 'Olá / 👋' } });
    assert.equal(result.status, 200);
    const req = server.requests.at(-1);
    assert.ok(req);
    const header = req.headers['x-hub-signature-256'] as string;
    assert.deepEqual(verifySignature(req.body, header, [SECRET]), { ok: true, secretIndex: 0 });
    assert.deepEqual(verifySignature(req.body, header, ['another-secret']), {
      ok: false,
      reason: 'mismatch',
    });
  });

  it('sends Meta-escaped JSON with Content-Type application/json and the right length', async () => {
    await sendDelivery({ url: server.url, secret: SECRET, body: { text: 'Olá / 👋' } });
    const req = server.requests.at(-1);
    assert.equal(req?.body.toString('latin1'), '{"text":"Ol\\u00e1 \\/ \\ud83d\\udc4b"}');
    assert.equal(req?.headers['content-type'], 'application/json');
    assert.equal(Number(req?.headers['content-length']), req?.body.length);
  });

  it('sends given bytes untouched', async () => {
    const raw = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
    await sendDelivery({ url: server.url, secret: SECRET, body: raw });
    assert.deepEqual(server.requests.at(-1)?.body, raw);
  });

  it('reports a non-200 answer with its status and latency', async () => {
    const result = await sendDelivery({ url: server.url + '?fail', secret: SECRET, body: {} });
    assert.equal(result.status, 503);
    assert.ok(result.latencyMs >= 0);
    assert.equal(result.responseText, 'ok');
  });

  it('gives up after the timeout and says so instead of throwing', async () => {
    const started = Date.now();
    const result = await sendDelivery({
      url: server.url + '?slow',
      secret: SECRET,
      body: {},
      timeoutMs: 100,
    });
    assert.equal(result.status, null);
    assert.equal(result.error, 'timeout');
    assert.ok(Date.now() - started < 1_000);
  });

  it('reports a refused connection by its code', async () => {
    const port = await closedPort();
    const result = await sendDelivery({ url: `http://127.0.0.1:${port}/`, secret: SECRET, body: {} });
    assert.equal(result.status, null);
    assert.equal(result.error, 'ECONNREFUSED');
  });
});
