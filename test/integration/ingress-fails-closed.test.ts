/**
 * Signature failures the peers shipped (reference/peers.md §2, §3.2): validation turned off when no
 * secret is set (pywa, Typebot, Botpress), a body parsed before it is verified (@great-detail,
 * Meta's Node SDK), and Meta's retries to every subscribed app stored as new deliveries.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import Database from 'better-sqlite3';
import { httpRequest, postSigned } from '../helpers/post-signed.js';
import { startTestWharf, TEST_SECRET, type TestWharf } from '../helpers/start-test-wharf.js';
import { statusDelivery } from '../helpers/webhook-bodies.js';

const sha256 = (b: string) => createHash('sha256').update(b).digest('hex');
const hmacHeader = (body: string, key: string) =>
  'sha256=' + createHmac('sha256', key).update(body).digest('hex');

function storedCount(dbPath: string, body?: string): { rows: number; duplicates: number } {
  const db = new Database(dbPath, { readonly: true });
  try {
    const rows = (
      body === undefined
        ? db.prepare('SELECT duplicates FROM deliveries').all()
        : db.prepare('SELECT duplicates FROM deliveries WHERE body_hash = ?').all(sha256(body))
    ) as Array<{ duplicates: number }>;
    return { rows: rows.length, duplicates: rows.reduce((n, r) => n + r.duplicates, 0) };
  } finally {
    db.close();
  }
}

for (const [label, secretSetting] of [
  ['unset', ''],
  ['only commas and spaces', ' , ,'],
] as const) {
  describe(`webhook ingress with WHATSAPP_APP_SECRET ${label}`, () => {
    let w: TestWharf;
    before(async () => {
      w = await startTestWharf({ WHATSAPP_APP_SECRET: secretSetting });
    });
    after(() => w.stop());

    test('refuses every POST with 401 and stores nothing, even one signed with an empty key: it fails closed, never open', async () => {
      const url = w.baseUrl + '/webhooks/whatsapp';
      const body = statusDelivery({ wamid: 'wamid.NOSECRET', status: 'sent', ts: 1767225600 });
      for (const signature of [
        undefined,
        hmacHeader(body, ''),
        hmacHeader(body, ' '),
        hmacHeader(body, 'undefined'),
        hmacHeader(body, TEST_SECRET),
      ]) {
        const r = await httpRequest(url, {
          method: 'POST',
          body,
          headers: {
            'content-type': 'application/json',
            ...(signature === undefined ? {} : { 'x-hub-signature-256': signature }),
          },
        });
        assert.equal(r.status, 401, `signature ${signature ?? '(none)'}`);
      }
      assert.equal(storedCount(w.dbPath).rows, 0);
    });
  });
}

describe('webhook ingress verifies the bytes before anything reads them', () => {
  let w: TestWharf;
  before(async () => {
    w = await startTestWharf({ WHATSAPP_APP_SECRET: `second-app-secret,${TEST_SECRET}` });
  });
  after(() => w.stop());

  test('an unsigned or wrongly signed body that is not JSON gets 401, not a parse error, and is not stored', async () => {
    const url = w.baseUrl + '/webhooks/whatsapp';
    for (const body of ['{"object":"whatsapp_business_account","entry":[', 'not json at all', '']) {
      const signed: Record<string, string> = { 'x-hub-signature-256': hmacHeader(body, 'wrong-secret') };
      for (const headers of [{}, signed]) {
        const r = await httpRequest(url, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json', ...headers },
        });
        assert.equal(r.status, 401, JSON.stringify(body));
      }
    }
    assert.equal(storedCount(w.dbPath).rows, 0);
  });

  test('the same bytes signed by two subscribed apps (Meta retries to every app on the WABA) are answered 200 each and stored once', async () => {
    const url = w.baseUrl + '/webhooks/whatsapp';
    const body = statusDelivery({ wamid: 'wamid.TWOAPPS', status: 'delivered', ts: 1767225601 });
    assert.equal((await postSigned(url, body, 'second-app-secret')).status, 200);
    assert.equal((await postSigned(url, body, TEST_SECRET)).status, 200);
    assert.deepEqual(storedCount(w.dbPath, body), { rows: 1, duplicates: 1 });
  });
});
