import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { createHttpTransport, type HttpTransportOptions } from '../../../src/adapters/destinations/http.js';
import type { DestinationTransport } from '../../../src/ports/destination-transport.js';
import { liveSecrets } from '../../../src/core/destinations/destination.js';
import { startHttpReceiver, type HttpReceiver } from '../../helpers/http-receiver.js';
import { newSecret, outboundMessage } from '../../helpers/outbound-message.js';

const never = new AbortController().signal;

describe('http destination transport', () => {
  let rx: HttpReceiver;
  const opened: DestinationTransport[] = [];
  const open = (o: Partial<HttpTransportOptions> = {}) => {
    const t = createHttpTransport({
      url: `${rx.url}/hooks/wharf?team=ops`,
      timeoutMs: 5000,
      maxInFlight: 4,
      secrets: () => [newSecret()],
      allowPrivate: true,
      userAgent: 'Wharf/9.9.9',
      ...o,
    });
    opened.push(t);
    return t;
  };
  before(async () => {
    rx = await startHttpReceiver();
  });
  beforeEach(() => {
    rx.requests.length = 0;
    rx.answer((_req, res) => res.end('ok'));
  });
  after(async () => {
    for (const t of opened) await t.close();
    await rx.close();
  });

  test('POSTs the body with webhook-id, webhook-timestamp, content-type, user-agent and the configured headers', async () => {
    const t = open({ headers: { Authorization: 'Bearer crm-token', 'X-Team': 'ops' } });
    const m = outboundMessage('messages/text.json', { headers: { 'X-Hub-Signature-256': 'sha256=abc' } });
    const before = Math.floor(Date.now() / 1000);
    const r = await t.send(m, never);
    assert.equal(r.ok, true, r.error ?? '');
    assert.equal(r.status, 200);
    assert.equal(r.responseExcerpt, 'ok');
    assert.equal(r.error, null);
    const got = rx.requests[0]!;
    assert.equal(got.method, 'POST');
    assert.equal(got.url, '/hooks/wharf?team=ops');
    assert.equal(got.body, m.body);
    assert.equal(got.headers['webhook-id'], m.id);
    assert.ok(Math.abs(Number(got.headers['webhook-timestamp']) - before) <= 1);
    assert.match(String(got.headers['webhook-signature']), /^v1,[A-Za-z0-9+/]+=*$/);
    assert.equal(got.headers['content-type'], 'application/json');
    assert.equal(got.headers['user-agent'], 'Wharf/9.9.9');
    assert.equal(got.headers.authorization, 'Bearer crm-token');
    assert.equal(got.headers['x-team'], 'ops');
    assert.equal(got.headers['x-hub-signature-256'], 'sha256=abc');
  });

  test('credentials in the URL become Basic auth, and a headers Authorization wins over them', async () => {
    const url = `http://n8n:p%40ss@127.0.0.1:${rx.port}/webhook/abc`;
    await open({ url }).send(outboundMessage(), never);
    await open({ url, headers: { Authorization: 'Bearer x' } }).send(outboundMessage(), never);
    assert.deepEqual(
      rx.requests.map((r) => r.headers.authorization),
      [`Basic ${Buffer.from('n8n:p@ss').toString('base64')}`, 'Bearer x'],
    );
    assert.equal(rx.requests[0]!.url, '/webhook/abc');
  });

  test('during a rotation both secrets sign, and each verifies with standardwebhooks as a receiver would', async () => {
    const current = newSecret();
    const previous = newSecret();
    const t = open({ secrets: () => [current, previous] });
    const m = outboundMessage('messages/status-failed.json');
    assert.equal((await t.send(m, never)).ok, true);
    const got = rx.requests[0]!;
    const headers = got.headers as Record<string, string>;
    assert.equal(headers['webhook-signature']!.split(' ').length, 2);
    for (const secret of [current, previous])
      assert.deepEqual(new Webhook(secret).verify(got.body, headers), JSON.parse(m.body));
    assert.throws(() => new Webhook(newSecret()).verify(got.body, headers), /No matching signature/);
  });

  test('with liveSecrets, the previous secret signs during the grace period and stops after it', async () => {
    const secrets = { current: newSecret(), previous: newSecret(), previousUntil: 1_000_000 };
    let now = 999_999;
    const t = open({ secrets: () => liveSecrets(secrets, now) });
    await t.send(outboundMessage(), never);
    now = 1_000_000;
    await t.send(outboundMessage(), never);
    const [during, afterGrace] = rx.requests;
    const verifies = (secret: string, r: typeof during) =>
      (() => {
        try {
          new Webhook(secret).verify(r!.body, r!.headers as Record<string, string>);
          return true;
        } catch {
          return false;
        }
      })();
    assert.deepEqual([verifies(secrets.current, during), verifies(secrets.previous, during)], [true, true]);
    assert.deepEqual(
      [verifies(secrets.current, afterGrace), verifies(secrets.previous, afterGrace)],
      [true, false],
    );
  });

  test('reads the secrets on every send, so a rotation needs no re-open', async () => {
    let live = [newSecret()];
    const t = open({ secrets: () => live });
    await t.send(outboundMessage(), never);
    const first = live[0]!;
    live = [newSecret()];
    await t.send(outboundMessage(), never);
    const [a, b] = rx.requests.map((r) => r.headers as Record<string, string>);
    assert.doesNotThrow(() => new Webhook(first).verify(rx.requests[0]!.body, a!));
    assert.doesNotThrow(() => new Webhook(live[0]!).verify(rx.requests[1]!.body, b!));
    assert.throws(() => new Webhook(first).verify(rx.requests[1]!.body, b!));
  });

  test('the same message keeps its webhook-id on every try', async () => {
    const t = open();
    const m = outboundMessage();
    rx.answer((_req, res) => {
      res.statusCode = 503;
      res.end();
    });
    await t.send(m, never);
    rx.answer((_req, res) => res.end());
    await t.send(m, never);
    assert.deepEqual(
      rx.requests.map((r) => r.headers['webhook-id']),
      [m.id, m.id],
    );
  });

  test('any 2xx is success', async () => {
    const t = open();
    for (const status of [200, 201, 202, 204, 299]) {
      rx.answer((_req, res) => {
        res.statusCode = status;
        res.end();
      });
      const r = await t.send(outboundMessage(), never);
      assert.equal(r.ok, true, String(status));
      assert.equal(r.status, status);
      assert.equal(r.responseExcerpt, null);
    }
  });

  test('410 Gone is a failure marked gone, so the destination is disabled', async () => {
    rx.answer((_req, res) => {
      res.statusCode = 410;
      res.end('endpoint deleted');
    });
    const r = await open().send(outboundMessage(), never);
    assert.equal(r.ok, false);
    assert.equal(r.gone, true);
    assert.equal(r.status, 410);
    assert.match(r.error ?? '', /410 Gone/);
    assert.equal(r.responseExcerpt, 'endpoint deleted');
  });

  test('Retry-After in seconds or as an HTTP-date becomes retryAfterMs', async () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    const t = open({ now: () => now });
    rx.answer((_req, res) => {
      res.writeHead(429, { 'Retry-After': '30' });
      res.end();
    });
    const a = await t.send(outboundMessage(), never);
    assert.equal(a.ok, false);
    assert.equal(a.retryAfterMs, 30_000);
    assert.equal(a.gone, undefined);
    rx.answer((_req, res) => {
      res.writeHead(503, { 'Retry-After': 'Thu, 01 Jan 2026 12:02:00 GMT' });
      res.end();
    });
    const b = await t.send(outboundMessage(), never);
    assert.equal(b.retryAfterMs, 120_000);
    assert.match(b.error ?? '', /answered 503/);
  });

  test('another answer is a failure naming the status, with at most 512 characters of the answer', async () => {
    rx.answer((_req, res) => {
      res.statusCode = 500;
      res.end('x'.repeat(100_000));
    });
    const r = await open().send(outboundMessage(), never);
    assert.equal(r.ok, false);
    assert.equal(r.status, 500);
    assert.equal(r.error, 'the receiver answered 500');
    assert.equal(r.responseExcerpt, 'x'.repeat(512));
    assert.equal(r.retryAfterMs, undefined);
  });

  test('a receiver that does not answer within timeout_ms is a failure saying so', async () => {
    rx.answer(() => undefined);
    const r = await open({ timeoutMs: 150 }).send(outboundMessage(), never);
    assert.equal(r.ok, false);
    assert.equal(r.status, null);
    assert.equal(r.error, 'no answer within 150 ms (timeout_ms)');
  });

  test('an aborted attempt ends at once as a cancelled failure', async () => {
    rx.answer(() => undefined);
    const ac = new AbortController();
    const pending = open().send(outboundMessage(), ac.signal);
    ac.abort();
    const r = await pending;
    assert.equal(r.ok, false);
    assert.match(r.error ?? '', /cancelled/);
  });

  test('a network error is named in plain words (connection refused)', async () => {
    const port = await closedPort();
    const r = await open({ url: `http://127.0.0.1:${port}/x` }).send(outboundMessage(), never);
    assert.equal(r.ok, false);
    assert.equal(r.status, null);
    assert.match(r.error ?? '', /connection refused .*ECONNREFUSED/);
  });

  test('keeps connections alive: with max_in_flight 1, every send uses the one connection', async () => {
    const t = open({ maxInFlight: 1 });
    for (let i = 0; i < 5; i++) assert.equal((await t.send(outboundMessage(), never)).ok, true);
    assert.equal(new Set(rx.requests.map((r) => r.connection)).size, 1);
  });

  test('close releases the connections', async () => {
    const t = createHttpTransport({
      url: rx.url,
      timeoutMs: 5000,
      maxInFlight: 2,
      secrets: () => [newSecret()],
      allowPrivate: true,
      userAgent: 'Wharf/test',
    });
    const openBefore = rx.openConnections();
    await t.send(outboundMessage(), never);
    assert.equal(rx.openConnections(), openBefore + 1);
    await t.close();
    await waitUntil(() => rx.openConnections() === openBefore);
  });

  test('a secret that is not whsec_<base64> fails the attempt without showing the secret', async () => {
    const bad = 'whsec_!!!not base64 but a secret value!!!';
    const r = await open({ secrets: () => [bad] }).send(outboundMessage(), never);
    assert.equal(r.ok, false);
    assert.match(r.error ?? '', /signing secret 1 is not a whsec_<base64> secret/);
    assert.ok(!(r.error ?? '').includes('not base64 but'));
    assert.equal(rx.requests.length, 0);
  });
});

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function waitUntil(check: () => boolean): Promise<void> {
  const { waitFor } = await import('../../helpers/wait-for.js');
  await waitFor('the condition', check);
}
