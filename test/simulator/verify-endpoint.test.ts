import assert from 'node:assert/strict';
import type http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { diagnoseHandshake } from '../../src/simulator/diagnose-handshake.js';
import { verifyEndpoint } from '../../src/simulator/verify-endpoint.js';
import { closedPort, startServer, type LocalServer, type Recorded } from './local-server.js';

const TOKEN = 'my-verify-token';

/** One endpoint per behaviour, chosen by path. */
function endpoint(req: Recorded, res: http.ServerResponse): void {
  const url = new URL(req.url, 'http://x');
  const challenge = url.searchParams.get('hub.challenge') ?? '';
  const tokenOk = url.searchParams.get('hub.verify_token') === TOKEN;
  switch (url.pathname) {
    case '/good':
      if (!tokenOk) return void res.writeHead(403).end('Forbidden');
      return void res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(challenge);
    case '/any-token':
      return void res.writeHead(200, { 'content-type': 'text/plain' }).end(challenge);
    case '/no-echo':
      return void res.writeHead(200, { 'content-type': 'text/plain' }).end('EVENT_RECEIVED');
    case '/json':
      return void res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ challenge }));
    case '/html':
      return void res.writeHead(200, { 'content-type': 'text/html' }).end(challenge);
    case '/redirect':
      return void res.writeHead(301, { location: '/good' }).end();
    case '/slow':
      return;
    default:
      return void res.writeHead(404).end();
  }
}

describe('verifyEndpoint', () => {
  let server: LocalServer;
  let base: string;
  before(async () => {
    server = await startServer(endpoint);
    base = new URL(server.url).origin;
  });
  after(() => server.close());
  const check = (path: string, token = TOKEN, timeoutMs = 2_000) =>
    verifyEndpoint({ url: base + path, verifyToken: token, challenge: '1158201444', timeoutMs });

  it('passes an endpoint that echoes the challenge as text/plain, without warnings', async () => {
    const r = await check('/good');
    assert.equal(r.ok, true);
    assert.equal(r.status, 200);
    assert.deepEqual(r.warnings, []);
  });

  it("sends Meta's query: hub.mode=subscribe, the challenge and the token", async () => {
    await check('/good');
    const sent = server.requests.find((q) => q.url.startsWith('/good'));
    const q = new URL(sent?.url ?? '', 'http://x').searchParams;
    assert.deepEqual(
      [q.get('hub.mode'), q.get('hub.challenge'), q.get('hub.verify_token')],
      ['subscribe', '1158201444', TOKEN],
    );
  });

  it('says the verify token does not match when the endpoint answers 403', async () => {
    const r = await check('/good', 'typo-token');
    assert.equal(r.problem, 'wrong-token');
    assert.match(r.message, /verify token does not match/);
  });

  it('never prints the verify token', async () => {
    const r = await check('/good', 'typo-token');
    assert.ok(!JSON.stringify(r).includes('typo-token'));
  });

  it('says the challenge was not echoed, quoting what came back', async () => {
    const r = await check('/no-echo');
    assert.equal(r.problem, 'challenge-not-echoed');
    assert.match(r.message, /"EVENT_RECEIVED"/);
  });

  it('recognises a challenge wrapped in JSON and asks for the bare value', async () => {
    const r = await check('/json');
    assert.equal(r.problem, 'challenge-not-echoed');
    assert.match(r.message, /wrapped/);
  });

  it('flags a challenge sent as text/html', async () => {
    const r = await check('/html');
    assert.equal(r.problem, 'not-text-plain');
    assert.match(r.message, /text\/html/);
  });

  it('reports a redirect with its target and does not follow it', async () => {
    const before = server.requests.length;
    const r = await check('/redirect');
    assert.equal(r.problem, 'redirect');
    assert.match(r.message, /301 to \/good/);
    assert.equal(server.requests.length, before + 1);
  });

  it('warns when any verify token is accepted', async () => {
    const r = await check('/any-token');
    assert.equal(r.ok, true);
    assert.match(r.warnings[0] ?? '', /wrong verify token/);
  });

  it('reports a wrong path as 404', async () => {
    assert.equal((await check('/nowhere')).problem, 'not-found');
  });

  it('reports a refused port in plain words', async () => {
    const port = await closedPort();
    const r = await verifyEndpoint({ url: `http://127.0.0.1:${port}/webhooks/whatsapp`, verifyToken: TOKEN });
    assert.equal(r.problem, 'refused');
    assert.match(r.message, /nothing is listening/);
  });

  it('reports a timeout', async () => {
    const r = await check('/slow', TOKEN, 150);
    assert.equal(r.problem, 'timeout');
    assert.match(r.message, /150 ms/);
  });

  it('reports a TLS failure when the endpoint does not speak TLS properly', async () => {
    const r = await verifyEndpoint({
      url: base.replace('http:', 'https:') + '/good',
      verifyToken: TOKEN,
      timeoutMs: 2_000,
    });
    assert.equal(r.problem, 'tls');
    assert.match(r.message, /valid certificate/);
  });
});

describe('diagnoseHandshake', () => {
  it('reads certificate errors as TLS problems', () => {
    for (const code of [
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'CERT_HAS_EXPIRED',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'ERR_TLS_CERT_ALTNAME_INVALID',
    ])
      assert.equal(
        diagnoseHandshake({ kind: 'error', code, message: 'x', latencyMs: 1 }, 'c', 1).problem,
        'tls',
        code,
      );
  });

  it('reads an unresolvable host as a DNS problem', () => {
    assert.equal(
      diagnoseHandshake({ kind: 'error', code: 'ENOTFOUND', message: 'x', latencyMs: 1 }, 'c', 1).problem,
      'dns',
    );
  });

  it('reads a 5xx as a server error and other codes as unexpected', () => {
    const answer = (status: number) => ({
      kind: 'answer' as const,
      status,
      headers: {},
      body: '',
      latencyMs: 1,
    });
    assert.equal(diagnoseHandshake(answer(502), 'c', 1).problem, 'server-error');
    assert.equal(diagnoseHandshake(answer(204), 'c', 1).problem, 'unexpected-status');
    assert.equal(diagnoseHandshake(answer(405), 'c', 1).problem, 'method-not-allowed');
  });
});
