import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Agent } from 'node:http';
import Database from 'better-sqlite3';
import { httpRequest, postSigned } from '../helpers/post-signed.js';
import { startTestWharf, TEST_SECRET, type TestWharf } from '../helpers/start-test-wharf.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const delivery = (n: string) => `{"object":"whatsapp_business_account","entry":[{"id":"${n}","changes":[]}]}`;
const storedCount = (w: TestWharf, b: string) => {
  const db = new Database(w.dbPath, { readonly: true });
  try {
    return (
      db.prepare('SELECT count(*) AS n FROM deliveries WHERE body_hash = ?').get(sha256(b)) as { n: number }
    ).n;
  } finally {
    db.close();
  }
};
/** An agent whose connections come from another loopback address (Linux routes all of 127/8 to lo). */
const from = (address: string) => new Agent({ keepAlive: true, localAddress: address });

describe('who may knock: source allow-list, trusted proxies, forged-signature throttling', () => {
  test('a source outside WHARF_ALLOWED_SOURCE_CIDRS gets 403 before its body is read, and nothing is stored', async () => {
    const w = await startTestWharf({ WHARF_ALLOWED_SOURCE_CIDRS: '203.0.113.0/24, 127.0.0.2' });
    const url = `${w.baseUrl}/webhooks/whatsapp`;
    const outsider = from('127.0.0.1');
    const insider = from('127.0.0.2');
    try {
      const refused = delivery('outside');
      const r = await postSigned(url, refused, TEST_SECRET, {}, outsider);
      assert.equal(r.status, 403);
      assert.equal(JSON.parse(r.body).error.code, 'SOURCE_NOT_ALLOWED');
      assert.equal(storedCount(w, refused), 0);
      const allowed = delivery('inside');
      assert.equal((await postSigned(url, allowed, TEST_SECRET, {}, insider)).status, 200);
      assert.equal(storedCount(w, allowed), 1);
    } finally {
      outsider.destroy();
      insider.destroy();
      await w.stop();
    }
  });

  test('X-Forwarded-For is believed only from a WHARF_TRUSTED_PROXIES address, read right to left past the proxies', async () => {
    const w = await startTestWharf({
      WHARF_ALLOWED_SOURCE_CIDRS: '198.51.100.0/24',
      WHARF_TRUSTED_PROXIES: '127.0.0.3, 10.0.0.0/8',
    });
    const url = `${w.baseUrl}/webhooks/whatsapp`;
    const proxy = from('127.0.0.3');
    const stranger = from('127.0.0.1');
    const post = (agent: Agent, n: string, xff: string) =>
      postSigned(url, delivery(n), TEST_SECRET, { 'x-forwarded-for': xff }, agent).then((r) => r.status);
    try {
      assert.equal(await post(proxy, 'via-proxy', '198.51.100.7'), 200);
      assert.equal(await post(proxy, 'via-two-proxies', '198.51.100.7, 10.1.2.3'), 200);
      assert.equal(await post(proxy, 'forged-left-part', '198.51.100.7, 192.0.2.1'), 403);
      assert.equal(await post(stranger, 'not-a-proxy', '198.51.100.7'), 403);
    } finally {
      proxy.destroy();
      stranger.destroy();
      await w.stop();
    }
  });

  test('a forged-signature flood from one source is throttled with 429 while signed traffic from another source is unaffected', async () => {
    const w = await startTestWharf({ WHARF_BAD_SIGNATURE_BURST: 5, WHARF_BAD_SIGNATURE_PER_SECOND: 1 });
    const url = `${w.baseUrl}/webhooks/whatsapp`;
    const forger = from('127.0.0.4');
    const meta = from('127.0.0.1');
    try {
      const forged: number[] = [];
      const signed: number[] = [];
      for (let i = 0; i < 40; i++) {
        const f = await httpRequest(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` },
          body: delivery(`forged-${i}`),
          agent: forger,
        });
        forged.push(f.status);
        if (f.status === 429) assert.match(String(f.headers['retry-after']), /^\d+$/);
        signed.push((await postSigned(url, delivery(`signed-${i}`), TEST_SECRET, {}, meta)).status);
      }
      // The burst (5, plus at most a token or two regained meanwhile) is answered 401; the rest 429.
      assert.ok(forged.filter((s) => s === 401).length <= 8, JSON.stringify(forged));
      assert.ok(forged.filter((s) => s === 429).length >= 32, JSON.stringify(forged));
      assert.deepEqual(new Set(forged), new Set([401, 429]));
      assert.deepEqual(new Set(signed), new Set([200]));
      const metrics = await httpRequest(`${w.baseUrl}/metrics`);
      assert.match(metrics.body, /wharf_webhook_requests_total\{outcome="rate_limited"\} \d+/);
    } finally {
      forger.destroy();
      meta.destroy();
      await w.stop();
    }
  });
});
