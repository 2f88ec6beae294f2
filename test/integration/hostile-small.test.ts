import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { apiGet, httpRequest, postSigned } from '../helpers/post-signed.js';
import {
  startTestWharf,
  TEST_API_TOKEN,
  TEST_SECRET,
  TEST_VERIFY_TOKEN,
} from '../helpers/start-test-wharf.js';

const delivery = (n: string) => `{"object":"whatsapp_business_account","entry":[{"id":"${n}","changes":[]}]}`;

describe('smaller guards against hostile traffic', () => {
  test('/readyz says not ready while the database cannot be written, without revealing where it is, and ready once it can', async () => {
    const w = await startTestWharf({ WHARF_LOG_LEVEL: 'warn' }, { busyTimeoutMs: 5000 });
    const url = `${w.baseUrl}/webhooks/whatsapp`;
    const locker = new Database(w.dbPath);
    try {
      assert.equal((await httpRequest(`${w.baseUrl}/readyz`)).status, 200);
      locker.exec('BEGIN IMMEDIATE');
      assert.equal((await postSigned(url, delivery('locked'), TEST_SECRET)).status, 503);
      const notReady = await httpRequest(`${w.baseUrl}/readyz`);
      assert.equal(notReady.status, 503);
      assert.equal(JSON.parse(notReady.body).status, 'not_ready');
      assert.ok(!notReady.body.includes(w.dbPath), notReady.body);
      locker.exec('ROLLBACK');
      let status = 0;
      for (let i = 0; i < 100 && status !== 200; i++) {
        status = (await postSigned(url, delivery('free again'), TEST_SECRET)).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(status, 200);
      assert.equal((await httpRequest(`${w.baseUrl}/readyz`)).status, 200);
    } finally {
      locker.close();
      await w.stop();
    }
  });

  test('refused POSTs are each counted in metrics but logged at a bounded rate', async () => {
    const w = await startTestWharf({ WHARF_BAD_SIGNATURE_BURST: 1000, WHARF_LOG_LEVEL: 'info' });
    try {
      const started = performance.now();
      for (let i = 0; i < 60; i++) {
        const r = await postSigned(`${w.baseUrl}/webhooks/whatsapp`, delivery(`forged-${i}`), 'wrong-secret');
        assert.equal(r.status, 401);
      }
      const seconds = Math.ceil((performance.now() - started) / 1000);
      const lines = w.logs.filter((l) => l.includes('webhook signature rejected')).length;
      assert.ok(lines <= 10 * (seconds + 1) && lines < 60, `${lines} lines in ${seconds} s`);
      const metrics = await httpRequest(`${w.baseUrl}/metrics`);
      assert.match(metrics.body, /wharf_webhook_requests_total\{outcome="bad_signature"\} 60\b/);
    } finally {
      await w.stop();
    }
  });

  test('the handshake answer carries X-Content-Type-Options: nosniff', async () => {
    const w = await startTestWharf();
    try {
      const r = await httpRequest(
        `${w.baseUrl}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${TEST_VERIFY_TOKEN}&hub.challenge=%3Cscript%3E`,
      );
      assert.equal(r.status, 200);
      assert.equal(r.headers['x-content-type-options'], 'nosniff');
    } finally {
      await w.stop();
    }
  });

  test('events?cursor= is checked like the deliveries cursor, and a repeated limit or cursor gets 400', async () => {
    const w = await startTestWharf();
    try {
      const cursor = (position: string) => Buffer.from(position).toString('base64url');
      for (const forged of ['-5', '1e3', '0', '1.0']) {
        const events = await apiGet(w.baseUrl, `/api/v1/events?cursor=${cursor(forged)}`, TEST_API_TOKEN);
        const deliveries = await apiGet(
          w.baseUrl,
          `/api/v1/deliveries?cursor=${cursor(forged)}`,
          TEST_API_TOKEN,
        );
        assert.equal(events.status, 400, forged);
        assert.equal(deliveries.status, 400, forged);
        assert.equal(JSON.parse(events.body).error.message, JSON.parse(deliveries.body).error.message);
      }
      for (const path of ['events', 'deliveries'])
        for (const repeated of ['limit=1&limit=2', `cursor=${cursor('5')}&cursor=${cursor('6')}`]) {
          const r = await apiGet(w.baseUrl, `/api/v1/${path}?${repeated}`, TEST_API_TOKEN);
          assert.equal(r.status, 400, `${path}?${repeated}`);
          assert.match(JSON.parse(r.body).error.message, /may be given once/);
        }
    } finally {
      await w.stop();
    }
  });
});
