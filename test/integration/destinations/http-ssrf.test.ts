import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHttpTransport } from '../../../src/adapters/destinations/http.js';
import type { ResolveHost } from '../../../src/core/destinations/check-destination-url.js';
import type { DestinationTransport } from '../../../src/ports/destination-transport.js';
import { startHttpReceiver, type HttpReceiver } from '../../helpers/http-receiver.js';
import { newSecret, outboundMessage } from '../../helpers/outbound-message.js';

const never = new AbortController().signal;

describe('http destination SSRF guard at send time (the address actually connected to)', () => {
  let rx: HttpReceiver;
  let target: HttpReceiver;
  const opened: DestinationTransport[] = [];
  const open = (url: string, allowPrivate: boolean, lookup?: ResolveHost) => {
    const t = createHttpTransport({
      url,
      timeoutMs: 5000,
      maxInFlight: 2,
      secrets: () => [newSecret()],
      allowPrivate,
      userAgent: 'Wharf/test',
      lookup,
    });
    opened.push(t);
    return t;
  };
  before(async () => {
    rx = await startHttpReceiver();
    target = await startHttpReceiver();
  });
  after(async () => {
    for (const t of opened) await t.close();
    await rx.close();
    await target.close();
  });

  const refusedWith = async (t: DestinationTransport, why: RegExp) => {
    const r = await t.send(outboundMessage(), never);
    assert.equal(r.ok, false);
    assert.equal(r.status, null);
    assert.match(r.error ?? '', why);
    assert.match(r.error ?? '', /WHARF_DESTINATIONS_ALLOW_PRIVATE=true/);
  };

  test('refuses to connect to loopback, and the receiver gets nothing', async () => {
    await refusedWith(open(`${rx.url}/x`, false), /refused to connect, 127\.0\.0\.1 is a loopback address/);
    assert.equal(rx.requests.length, 0);
    assert.equal(rx.openConnections(), 0);
  });

  test('refuses 10/8, the metadata address 169.254.169.254 and an IPv6 ULA before any packet leaves', async () => {
    await refusedWith(open('http://10.0.0.1/x', false), /10\.0\.0\.1 is a private network address/);
    await refusedWith(open('http://169.254.169.254/latest/meta-data/', false), /metadata/);
    await refusedWith(open('http://[fd00::1]/x', false), /fd00::1 is an IPv6 unique local address/);
  });

  test('refuses a hostname that resolves to a private address at send time (DNS rebinding), naming both', async () => {
    const rebinding: ResolveHost = async () => ['127.0.0.1'];
    await refusedWith(
      open(`http://receiver.test:${rx.port}/x`, false, rebinding),
      /receiver\.test resolved to 127\.0\.0\.1: 127\.0\.0\.1 is a loopback address/,
    );
    assert.equal(rx.requests.length, 0);
  });

  test('the resolved address is the one dialled: with private allowed, the same lookup reaches the receiver', async () => {
    const asked: string[] = [];
    const lookup: ResolveHost = async (host) => {
      asked.push(host);
      return ['127.0.0.1'];
    };
    const r = await open(`http://receiver.test:${rx.port}/x`, true, lookup).send(outboundMessage(), never);
    assert.equal(r.ok, true, r.error ?? '');
    assert.deepEqual(asked, ['receiver.test']);
    assert.equal(rx.requests.at(-1)?.headers.host, `receiver.test:${rx.port}`);
  });

  test('never follows a redirect: a 302 to a private address is a failure saying so, and its target is never called', async () => {
    rx.answer((_req, res) => {
      res.writeHead(302, { Location: `${target.url}/internal-admin` });
      res.end();
    });
    const r = await open(`${rx.url}/moved`, true).send(outboundMessage(), never);
    assert.equal(r.ok, false);
    assert.equal(r.status, 302);
    assert.match(
      r.error ?? '',
      /answered 302, a redirect to http:\/\/127\.0\.0\.1:\d+\/internal-admin; redirects are not followed/,
    );
    assert.equal(target.requests.length, 0);
  });

  test('allowPrivate=true lets http://127.0.0.1 through', async () => {
    rx.answer((_req, res) => res.end('ok'));
    const r = await open(`${rx.url}/hook`, true).send(outboundMessage(), never);
    assert.equal(r.ok, true, r.error ?? '');
    assert.equal(r.status, 200);
  });
});
