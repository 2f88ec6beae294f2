import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { signBody } from '../../src/core/verify-signature.js';
import type { WebhookDeps } from '../../src/api/webhook-deps.js';
import {
  startTestWharf,
  TEST_SECRET,
  TEST_VERIFY_TOKEN,
  type TestWharf,
} from '../helpers/start-test-wharf.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const body = (n: string) =>
  `{"object":"whatsapp_business_account","entry":[{"id":"1","time":1,"changes":[],"n":"${n}"}]}`;
const post = (b: string, extra = '') =>
  `POST /webhooks/whatsapp HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(b)}\r\nX-Hub-Signature-256: ${signBody(b, TEST_SECRET)}\r\n${extra}\r\n${b}`;

/** Writes raw bytes on one connection and collects what comes back until `n` responses arrived or it closes. */
function exchange(
  port: number,
  parts: string[],
  responses: number,
  gapMs = 0,
): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const sock: Socket = connect(port, '127.0.0.1');
    let text = '';
    let closed = false;
    const done = () => resolve({ text, closed });
    sock.on('data', (c) => {
      text += c.toString('latin1');
      if ((text.match(/HTTP\/1\.1 \d{3}/g) ?? []).length >= responses && /\r\n\r\n/.test(text))
        setTimeout(() => (sock.destroy(), done()), 30);
    });
    sock.on('close', () => {
      closed = true;
      done();
    });
    sock.on('error', reject);
    sock.on('connect', async () => {
      for (const p of parts) {
        sock.write(p);
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      }
    });
  });
}

function stored(w: TestWharf, b: string): number {
  const db = new Database(w.dbPath, { readonly: true });
  try {
    return (
      db.prepare('SELECT count(*) AS n FROM deliveries WHERE body_hash = ?').get(sha(b)) as { n: number }
    ).n;
  } finally {
    db.close();
  }
}

describe('webhook fast path and hand-over to node:http on the same port', () => {
  let w: TestWharf;
  let port: number;
  before(async () => {
    w = await startTestWharf({ WHARF_MAX_BODY_BYTES: 4096 });
    port = Number(new URL(w.baseUrl).port);
  });
  after(() => w.stop());

  test('answers pipelined POSTs on one connection in order, each after its commit', async () => {
    const a = body('pipe-a');
    const b = body('pipe-b');
    const r = await exchange(port, [post(a) + post(b)], 2);
    assert.equal((r.text.match(/HTTP\/1\.1 200 OK/g) ?? []).length, 2);
    assert.match(r.text, /Date: /);
    assert.equal(stored(w, a), 1);
    assert.equal(stored(w, b), 1);
  });

  test('reads a request split into small pieces', async () => {
    const b = body('split');
    const raw = post(b);
    const pieces = raw.match(/[\s\S]{1,7}/g) ?? [];
    const r = await exchange(port, pieces, 1, 1);
    assert.match(r.text, /^HTTP\/1\.1 200 OK/);
    assert.equal(stored(w, b), 1);
  });

  test('a wrong signature gets 401 and the connection stays usable', async () => {
    const b = body('bad-sig');
    const bad = post(b).replace(/sha256=[0-9a-f]{64}/, 'sha256=' + '0'.repeat(64));
    const good = body('after-bad');
    const r = await exchange(port, [bad + post(good)], 2);
    assert.match(r.text, /^HTTP\/1\.1 401 Unauthorized/);
    assert.match(r.text, /HTTP\/1\.1 200 OK/);
    assert.equal(stored(w, b), 0);
    assert.equal(stored(w, good), 1);
  });

  test('a GET after a POST on the same connection is served by node:http', async () => {
    const b = body('then-get');
    const get = `GET /webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${TEST_VERIFY_TOKEN}&hub.challenge=4242 HTTP/1.1\r\nHost: t\r\n\r\n`;
    const r = await exchange(port, [post(b) + get], 2);
    assert.match(r.text, /^HTTP\/1\.1 200 OK/);
    assert.match(r.text, /4242$/);
  });

  test('a chunked POST is handled by node:http with the same result', async () => {
    const b = body('chunked');
    const half = Math.floor(b.length / 2);
    const raw =
      `POST /webhooks/whatsapp HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nX-Hub-Signature-256: ${signBody(b, TEST_SECRET)}\r\n\r\n` +
      `${half.toString(16)}\r\n${b.slice(0, half)}\r\n${(b.length - half).toString(16)}\r\n${b.slice(half)}\r\n0\r\n\r\n`;
    const r = await exchange(port, [raw], 1);
    assert.match(r.text, /^HTTP\/1\.1 200 OK/);
    assert.equal(stored(w, b), 1);
  });

  test('Content-Length together with Transfer-Encoding is refused by node:http, not stored', async () => {
    const b = body('smuggle');
    const raw = `POST /webhooks/whatsapp HTTP/1.1\r\nHost: t\r\nContent-Length: ${b.length}\r\nTransfer-Encoding: chunked\r\nX-Hub-Signature-256: ${signBody(b, TEST_SECRET)}\r\n\r\n${b}`;
    const r = await exchange(port, [raw], 1);
    assert.match(r.text, /^HTTP\/1\.1 400/);
    assert.equal(stored(w, b), 0);
  });

  test('a declared body over the limit gets 413 and the connection is closed', async () => {
    const r = await exchange(
      port,
      [`POST /webhooks/whatsapp HTTP/1.1\r\nHost: t\r\nContent-Length: 999999\r\n\r\nabc`],
      1,
    );
    assert.match(r.text, /^HTTP\/1\.1 413/);
    assert.match(r.text, /Connection: close/);
  });

  test('honours Connection: close', async () => {
    const b = body('close');
    const r = await exchange(port, [post(b, 'Connection: close\r\n')], 5);
    assert.match(r.text, /^HTTP\/1\.1 200 OK[\s\S]*Connection: close/);
    assert.equal(r.closed, true);
  });

  test('a trailing slash on the webhook path reaches the same endpoint: POST (plain and chunked) and the handshake', async () => {
    const plain = body('slash-plain');
    const r1 = await exchange(
      port,
      [post(plain).replace('POST /webhooks/whatsapp ', 'POST /webhooks/whatsapp/ ')],
      1,
    );
    assert.match(r1.text, /^HTTP\/1\.1 200 OK/);
    assert.equal(stored(w, plain), 1);
    const chunked = body('slash-chunked');
    const r2 = await exchange(
      port,
      [
        `POST /webhooks/whatsapp/?x=1 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nX-Hub-Signature-256: ${signBody(chunked, TEST_SECRET)}\r\n\r\n` +
          `${chunked.length.toString(16)}\r\n${chunked}\r\n0\r\n\r\n`,
      ],
      1,
    );
    assert.match(r2.text, /^HTTP\/1\.1 200 OK/);
    assert.equal(stored(w, chunked), 1);
    const get = `GET /webhooks/whatsapp/?hub.mode=subscribe&hub.verify_token=${TEST_VERIFY_TOKEN}&hub.challenge=77 HTTP/1.1\r\nHost: t\r\n\r\n`;
    const r3 = await exchange(port, [get], 1);
    assert.match(r3.text, /^HTTP\/1\.1 200 OK[\s\S]*\r\n\r\n77$/);
  });

  test('an absolute-form request target (RFC 9112 §3.2.2) reaches the webhook endpoint', async () => {
    const b = body('absolute-form');
    const r = await exchange(
      port,
      [post(b).replace('POST /webhooks/whatsapp ', 'POST http://t/webhooks/whatsapp ')],
      1,
    );
    assert.match(r.text, /^HTTP\/1\.1 200 OK/);
    assert.equal(stored(w, b), 1);
  });

  test('HEAD on the webhook path answers as the handshake GET would, without a body', async () => {
    const ok = await exchange(
      port,
      [
        `HEAD /webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${TEST_VERIFY_TOKEN}&hub.challenge=55 HTTP/1.1\r\nHost: t\r\n\r\n`,
      ],
      1,
    );
    assert.match(ok.text, /^HTTP\/1\.1 200 OK/);
    assert.match(ok.text, /content-type: text\/plain/i);
    assert.match(ok.text, /\r\n\r\n$/, 'no body after the head');
    const refused = await exchange(port, [`HEAD /webhooks/whatsapp HTTP/1.1\r\nHost: t\r\n\r\n`], 1);
    assert.match(refused.text, /^HTTP\/1\.1 403/);
  });

  test('another method on the webhook path gets 405 with an Allow header listing GET, HEAD and POST', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const r = await exchange(
        port,
        [`${method} /webhooks/whatsapp HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n`],
        1,
      );
      assert.match(r.text, /^HTTP\/1\.1 405/, method);
      assert.match(r.text, /\r\nallow: GET, HEAD, POST\r\n/i, method);
    }
  });

  test('/healthz, /readyz and /metrics answer HEAD, and 405 with Allow to a method that is not GET or HEAD', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      const head = await exchange(port, [`HEAD ${path} HTTP/1.1\r\nHost: t\r\n\r\n`], 1);
      assert.match(head.text, /^HTTP\/1\.1 200/, `HEAD ${path}`);
      for (const method of ['POST', 'DELETE']) {
        const r = await exchange(
          port,
          [`${method} ${path} HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n`],
          1,
        );
        assert.match(r.text, /^HTTP\/1\.1 405/, `${method} ${path}`);
        assert.match(r.text, /\r\nallow: GET, HEAD\r\n/i, `${method} ${path}`);
      }
    }
  });

  test('Expect: 100-continue with a declared body over the limit gets 413 at once, never 100 Continue', async () => {
    const r = await exchange(
      port,
      [
        `POST /webhooks/whatsapp HTTP/1.1\r\nHost: t\r\nContent-Length: 999999\r\nExpect: 100-continue\r\nX-Hub-Signature-256: sha256=${'0'.repeat(64)}\r\n\r\n`,
      ],
      1,
    );
    assert.match(r.text, /^HTTP\/1\.1 413/);
    assert.doesNotMatch(r.text, /100 Continue/);
  });

  test('Expect: 100-continue with a body within the limit gets 100 Continue, then 200 once stored', async () => {
    const b = body('expect-continue');
    const r = await exchange(port, [post(b, 'Expect: 100-continue\r\n')], 2);
    assert.match(r.text, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK/);
    assert.equal(stored(w, b), 1);
  });

  test('a client that half-closes after sending its requests still gets every answer, then the connection closes', async () => {
    const a = body('half-close-a');
    const b = body('half-close-b');
    const r = await new Promise<{ text: string; closed: boolean }>((resolve, reject) => {
      const sock = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
      let text = '';
      sock.on('data', (c) => (text += c.toString('latin1')));
      sock.on('connect', () => sock.end(post(a) + post(b)));
      sock.on('error', reject);
      sock.on('close', () => resolve({ text, closed: true }));
      setTimeout(() => (sock.destroy(), resolve({ text, closed: false })), 3000);
    });
    assert.equal((r.text.match(/HTTP\/1\.1 200 OK/g) ?? []).length, 2, r.text);
    assert.equal(r.closed, true, 'closed once answered');
    assert.equal(stored(w, a), 1);
    assert.equal(stored(w, b), 1);
  });

  test('a signed POST smuggled behind a bare LF (X-A: b\\nTransfer-Encoding: chunked) gets 400 and nothing is stored', async () => {
    const inner = body('smuggled-inner');
    const outer = body('smuggled-outer');
    const smuggled = post(inner);
    const chunkedEnd = `0\r\n\r\n${smuggled}`;
    const raw =
      `POST /webhooks/whatsapp HTTP/1.1\r\nHost: t\r\nX-A: b\nTransfer-Encoding: chunked\r\n` +
      `Content-Length: ${Buffer.byteLength(chunkedEnd)}\r\nX-Hub-Signature-256: ${signBody(outer, TEST_SECRET)}\r\n\r\n${chunkedEnd}`;
    const r = await exchange(port, [raw], 2);
    assert.match(r.text, /^HTTP\/1\.1 400/);
    assert.doesNotMatch(r.text, /200 OK/);
    assert.equal(stored(w, inner), 0);
    assert.equal(stored(w, outer), 0);
  });

  test('a request whose lines end in a bare LF gets 400 at once, not silence until a timeout', async () => {
    const b = body('bare-lf');
    const raw = `POST /webhooks/whatsapp HTTP/1.1\nHost: t\nContent-Length: ${b.length}\nX-Hub-Signature-256: ${signBody(b, TEST_SECRET)}\n\n${b}`;
    // The connection stays open on the client's side: the answer must not wait for more bytes.
    const r = await exchange(port, [raw], 1);
    assert.match(r.text, /^HTTP\/1\.1 400/);
    assert.equal(stored(w, b), 0);
  });

  test('an over-long request head is handed to node:http, which answers 431', async () => {
    const r = await exchange(port, [`POST /webhooks/whatsapp HTTP/1.1\r\nX-Long: ${'a'.repeat(20000)}`], 1);
    assert.match(r.text, /^HTTP\/1\.1 431/);
  });
});

/** A fast path alone on a free port (no node:http behind it), with these time limits and ingest. */
async function listenFast(opts: {
  requestTimeoutMs?: number;
  idleTimeoutMs?: number;
  ingest: () => Promise<{ status: number; headers: Record<string, string>; body: Buffer }>;
}) {
  const { createFastIngress } = await import('../../src/api/fast-ingress.js');
  const fast = createFastIngress({
    webhookPath: '/webhooks/whatsapp',
    maxBodyBytes: 1024,
    ...opts,
    tooLarge: () => ({ status: 413, headers: {}, body: Buffer.alloc(0) }),
    fallback: (s) => s.destroy(),
  });
  await new Promise<void>((r) => fast.server.listen(0, '127.0.0.1', () => r()));
  return { fast, port: (fast.server.address() as { port: number }).port };
}

const OK_ANSWER = { status: 200, headers: {}, body: Buffer.from('OK') };

describe('fast path time limits', () => {
  test('cuts a request that trickles in slower than the request timeout (slow-loris guard)', async () => {
    const { fast, port } = await listenFast({ requestTimeoutMs: 150, ingest: async () => OK_ANSWER });
    try {
      const started = Date.now();
      const sock = connect(port, '127.0.0.1');
      const closed = new Promise<number>((r) => sock.on('close', () => r(Date.now() - started)));
      sock.on('error', () => undefined);
      sock.write('POST /webhooks/whatsapp HTTP/1.1\r\nContent-Length: 10\r\n');
      const timer = setInterval(() => sock.write('X-A: 1\r\n'), 40);
      const ms = await closed;
      clearInterval(timer);
      assert.ok(ms >= 140 && ms < 2000, `closed after ${ms} ms`);
    } finally {
      fast.shutdown();
    }
  });

  test('closes a keep-alive connection idle longer than the idle timeout, but never one waiting for its answer', async () => {
    let release: () => void = () => undefined;
    const { fast, port } = await listenFast({
      idleTimeoutMs: 120,
      // The first request is answered only when released: longer than the idle timeout.
      ingest: () => new Promise((r) => (release = () => r(OK_ANSWER))),
    });
    try {
      const started = Date.now();
      const sock = connect(port, '127.0.0.1');
      let text = '';
      sock.on('data', (c) => (text += c.toString()));
      sock.on('error', () => undefined);
      const closed = new Promise<number>((r) => sock.on('close', () => r(Date.now() - started)));
      sock.write(post('{}'));
      await new Promise((r) => setTimeout(r, 400));
      assert.equal(sock.destroyed, false, 'cut while its request was being stored');
      release();
      const ms = await closed;
      assert.match(text, /^HTTP\/1\.1 200 OK/);
      assert.ok(ms >= 400 + 100 && ms < 3000, `closed ${ms - 400} ms after its answer`);
    } finally {
      fast.shutdown();
    }
  });
});

describe('time limits of requests handed to node:http on the shared port', () => {
  test('a keep-alive head or a chunked body trickling in slower than node:http’s timeouts is cut with 408', async () => {
    const { createServer } = await import('node:http');
    const { serve } = await import('../../src/api/serve.js');
    // node:http enforces headersTimeout and requestTimeout only for connections it tracks; the
    // ones the fast path hands over must be tracked too, or a slow-loris client stays for ever.
    const http = createServer(
      { requestTimeout: 400, headersTimeout: 300, connectionsCheckingInterval: 50 },
      (req, res) => {
        req.resume();
        req.on('end', () => res.end('ok'));
      },
    );
    const serving = await serve(http, { maxBodyBytes: 1024 } as WebhookDeps, {
      port: 0,
      host: '127.0.0.1',
      webhookPath: '/webhooks/whatsapp',
    });
    try {
      for (const [first, drip] of [
        // A keep-alive connection whose second head never ends.
        ['GET /healthz HTTP/1.1\r\nHost: t\r\n\r\nGET /healthz HTTP/1.1\r\nHost: t\r\n', 'X-A: 1\r\n'],
        ['POST /webhooks/whatsapp HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n', '1\r\na\r\n'],
      ] as const) {
        const started = Date.now();
        const sock = connect(serving.address.port, '127.0.0.1');
        let text = '';
        sock.on('data', (c) => (text += c.toString('latin1')));
        sock.on('error', () => undefined);
        const closed = new Promise<number>((r) => sock.on('close', () => r(Date.now() - started)));
        sock.write(first);
        const timer = setInterval(() => sock.write(drip), 60);
        const ms = await Promise.race([closed, new Promise<number>((r) => setTimeout(() => r(-1), 3000))]);
        clearInterval(timer);
        sock.destroy();
        assert.ok(ms > 0 && ms < 2000, `${first.split(' ')[0]}: closed after ${ms} ms`);
        assert.match(text, /HTTP\/1\.1 408/, first.split(' ')[0]);
      }
    } finally {
      await serving.close(async () => undefined, 100);
    }
  });
});
