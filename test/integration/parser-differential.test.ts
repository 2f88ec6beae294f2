import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import fc from 'fast-check';
import { createFastIngress, type FastIngress } from '../../src/api/fast-ingress.js';
import { isWebhookPath } from '../../src/api/is-webhook-path.js';

/**
 * The same bytes through Wharf's fast path (with node:http behind it, as serve() wires them) and
 * through a plain node:http server: every verdict must be the same. Both answer a request they
 * accept with 200 and the length and digest of the body they read, so a framing disagreement
 * (a smuggled request, a body cut elsewhere) shows as a different answer, not only a status.
 */
const PATH = '/webhooks/whatsapp';
const LIMIT = 1024;
const digest = (b: Buffer) => `ok:${b.length}:${createHash('sha256').update(b).digest('hex').slice(0, 8)}`;

function reference(req: IncomingMessage, res: ServerResponse): void {
  const target = req.url ?? '/';
  const q = target.indexOf('?');
  if (req.method !== 'POST' || !isWebhookPath(q < 0 ? target : target.slice(0, q), PATH)) {
    req.resume();
    res.writeHead(404).end();
    return;
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => declared <= LIMIT && chunks.push(c));
  req.on('end', () => {
    if (declared > LIMIT) res.writeHead(413, { connection: 'close' }).end();
    else res.writeHead(200).end(digest(Buffer.concat(chunks)));
  });
}

/** Sends the bytes, half-closes, and reads until the server closes: the statuses and 200 bodies seen. */
function verdict(port: number, bytes: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const sock = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    let text = '';
    const done = (how: string) => {
      clearTimeout(timer);
      sock.destroy();
      const statuses = text.match(/HTTP\/1\.1 \d{3}/g) ?? [];
      const bodies = text.match(/ok:\d+:[0-9a-f]{8}/g) ?? [];
      resolve(`${statuses.join(',')} ${bodies.join(',')} ${how}`.trim());
    };
    const timer = setTimeout(() => done('(no close within 5 s)'), 5000);
    sock.on('data', (c: Buffer) => (text += c.toString('latin1')));
    sock.on('close', () => done(''));
    sock.on('error', () => undefined);
    sock.on('connect', () => sock.end(bytes));
  });
}

const post = (head: string[], body = 'ab') =>
  Buffer.from(`POST ${PATH} HTTP/1.1\r\n${head.join('\r\n')}\r\n\r\n${body}`, 'latin1');
const HOST = 'Host: t';

/** Classic smuggling and malformed requests (RFC 9112 §6.3, §11.2; the known desync classes). */
const CORPUS: Array<[string, Buffer]> = [
  ['a plain POST', post([HOST, 'Content-Length: 2'])],
  [
    'the proven desync: a bare LF hides Transfer-Encoding in a header value',
    post(
      [HOST, 'X-A: b\nTransfer-Encoding: chunked', 'Content-Length: 40'],
      `0\r\n\r\nPOST ${PATH} HTTP/1.1\r\nHost: t\r\n\r\n`,
    ),
  ],
  ['CL.TE', post([HOST, 'Content-Length: 6', 'Transfer-Encoding: chunked'], '0\r\n\r\nX')],
  ['TE.CL', post([HOST, 'Transfer-Encoding: chunked', 'Content-Length: 3'], '1\r\nZ\r\n0\r\n\r\n')],
  ['TE with a space before the colon', post([HOST, 'Transfer-Encoding : chunked', 'Content-Length: 2'])],
  ['TE obfuscated (xchunked)', post([HOST, 'Transfer-Encoding: xchunked', 'Content-Length: 2'])],
  ['TE by obs-fold', post([HOST, 'Content-Length: 2', 'X-A: 1', ' Transfer-Encoding: chunked'])],
  ['two equal Content-Length', post([HOST, 'Content-Length: 2', 'Content-Length: 2'])],
  ['two different Content-Length', post([HOST, 'Content-Length: 2', 'Content-Length: 1'])],
  ['Content-Length as a list', post([HOST, 'Content-Length: 2, 2'])],
  ['Content-Length with a sign', post([HOST, 'Content-Length: +2'])],
  ['Content-Length with a space inside', post([HOST, 'Content-Length: 1 1'])],
  ['Content-Length with a space before the colon', post([HOST, 'Content-Length : 2'])],
  ['a lone Content-Length line without value', post([HOST, 'Content-Length:'])],
  ['bare LF line endings', Buffer.from(`POST ${PATH} HTTP/1.1\nHost: t\nContent-Length: 2\n\nab`)],
  ['a bare LF ending the head', Buffer.from(`POST ${PATH} HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\nab`)],
  ['a bare CR inside a header line', post([HOST, 'X-A: 1\rContent-Length: 2'])],
  ['NUL in a header value', post([HOST, 'X-A: a\0b', 'Content-Length: 2'])],
  ['DEL in a header value', post([HOST, 'X-A: a\x7fb', 'Content-Length: 2'])],
  ['a high-bit byte in a header value (node:http takes it)', post([HOST, 'X-A: \xe9', 'Content-Length: 2'])],
  ['a space in the target', Buffer.from(`POST ${PATH} x HTTP/1.1\r\n${HOST}\r\nContent-Length: 2\r\n\r\nab`)],
  [
    'a control byte in the target',
    Buffer.from(`POST ${PATH}\x01 HTTP/1.1\r\n${HOST}\r\nContent-Length: 2\r\n\r\nab`, 'latin1'),
  ],
  [
    'a high-bit byte in the target',
    Buffer.from(`POST ${PATH}\xe9 HTTP/1.1\r\n${HOST}\r\nContent-Length: 2\r\n\r\nab`, 'latin1'),
  ],
  ['a header name with a space', post([HOST, 'X A: b', 'Content-Length: 2'])],
  ['an empty header name', post([HOST, ': b', 'Content-Length: 2'])],
  ['no Host', post(['Content-Length: 2'])],
  ['two Host', post([HOST, 'Host: u', 'Content-Length: 2'])],
  ['HTTP/1.0', Buffer.from(`POST ${PATH} HTTP/1.0\r\n${HOST}\r\nContent-Length: 2\r\n\r\nab`)],
  [
    'HTTP/2.0 in an HTTP/1 request line',
    Buffer.from(`POST ${PATH} HTTP/2.0\r\n${HOST}\r\nContent-Length: 2\r\n\r\nab`),
  ],
  ['a lower-case method', Buffer.from(`post ${PATH} HTTP/1.1\r\n${HOST}\r\nContent-Length: 2\r\n\r\nab`)],
  [
    'leading empty lines',
    Buffer.from(`\r\n\r\nPOST ${PATH} HTTP/1.1\r\n${HOST}\r\nContent-Length: 2\r\n\r\nab`),
  ],
  [
    '60 KB of headers in one write',
    post([HOST, ...Array.from({ length: 1000 }, (_, i) => `X-${i}: ${'v'.repeat(55)}`), 'Content-Length: 2']),
  ],
  [
    '3,000 headers in one write',
    post([HOST, ...Array.from({ length: 3000 }, (_, i) => `X${i}: 1`), 'Content-Length: 2']),
  ],
  ['a body over the limit', post([HOST, `Content-Length: ${LIMIT + 1}`], 'x'.repeat(LIMIT + 1))],
  ['a body shorter than declared', post([HOST, 'Content-Length: 5'], 'ab')],
  ['a head cut short', Buffer.from(`POST ${PATH} HTTP/1.1\r\n${HOST}\r\nContent-Le`)],
  [
    'two pipelined POSTs',
    Buffer.concat([post([HOST, 'Content-Length: 2']), post([HOST, 'Content-Length: 3'], 'abc')]),
  ],
  ['Connection: close', post([HOST, 'Connection: close', 'Content-Length: 2'])],
  [
    'a query string and a trailing slash',
    Buffer.from(`POST ${PATH}/?a=1 HTTP/1.1\r\n${HOST}\r\nContent-Length: 2\r\n\r\nab`),
  ],
];

describe('the fast path parses exactly as strictly as node:http (differential)', () => {
  let fast: FastIngress;
  let behind: Server;
  let plain: Server;
  let fastPort: number;
  let plainPort: number;
  before(async () => {
    behind = createServer(reference);
    fast = createFastIngress({
      webhookPath: PATH,
      maxBodyBytes: LIMIT,
      ingest: async (body) => ({ status: 200, headers: {}, body: Buffer.from(digest(body)) }),
      tooLarge: () => ({ status: 413, headers: {}, body: Buffer.alloc(0) }),
      fallback: (sock) => behind.emit('connection', sock),
    });
    plain = createServer(reference);
    await new Promise<void>((r) => fast.server.listen(0, '127.0.0.1', () => r()));
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', () => r()));
    fastPort = (fast.server.address() as { port: number }).port;
    plainPort = (plain.address() as { port: number }).port;
  });
  after(() => {
    fast.shutdown();
    fast.destroyAll();
    plain.close();
    plain.closeAllConnections();
  });

  test('every case of the smuggling and malformed corpus gets the same verdict', async () => {
    const disagreements: string[] = [];
    for (const [what, bytes] of CORPUS) {
      const [ours, theirs] = await Promise.all([verdict(fastPort, bytes), verdict(plainPort, bytes)]);
      if (ours !== theirs) disagreements.push(`${what}: fast path "${ours}", node:http "${theirs}"`);
    }
    assert.deepEqual(disagreements, []);
  });

  test('the smuggling cases are refused with 400, nothing accepted', async () => {
    for (const [what, bytes] of CORPUS.slice(1, 4))
      assert.match(await verdict(fastPort, bytes), /^HTTP\/1\.1 400$/, what);
  });

  test('fuzzed heads (bytes inserted or replaced anywhere in a valid head) get the same verdict', async () => {
    const base = post([
      HOST,
      'Content-Type: application/json',
      'X-Hub-Signature-256: sha256=00',
      'Content-Length: 2',
    ]);
    const headEnd = base.indexOf('\r\n\r\n') + 4;
    const alphabet = [0, 1, 9, 10, 11, 13, 32, 34, 44, 58, 59, 97, 127, 128, 233, 255];
    const mutation = fc.record({
      at: fc.nat({ max: headEnd - 1 }),
      byte: fc.constantFrom(...alphabet),
      replace: fc.boolean(),
    });
    const disagreements: string[] = [];
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        const bytes = [...base];
        for (const m of mutations) bytes.splice(m.at, m.replace ? 1 : 0, m.byte);
        const b = Buffer.from(bytes);
        const [ours, theirs] = await Promise.all([verdict(fastPort, b), verdict(plainPort, b)]);
        if (ours !== theirs)
          disagreements.push(`${JSON.stringify(b.toString('latin1'))}: "${ours}" vs "${theirs}"`);
        return true;
      }),
      { numRuns: 300, seed: 18 },
    );
    assert.deepEqual(disagreements, []);
  });
});
