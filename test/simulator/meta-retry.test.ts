import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  META_RETRY_DELAYS_MS,
  META_RETRY_WINDOW_MS,
  metaRetrySchedule,
  sendWithMetaRetries,
} from '../../src/simulator/meta-retry.js';
import { sendDelivery, type SendResult } from '../../src/simulator/send-delivery.js';
import { verifySignature } from '../../src/core/verify-signature.js';
import { startServer } from './local-server.js';

const answer = (status: number | null): SendResult => ({
  status,
  latencyMs: 1,
  bytes: 10,
  ...(status === null ? { error: 'timeout' } : {}),
});

describe("Meta's retry schedule", () => {
  it('retries immediately first', () => {
    assert.equal(META_RETRY_DELAYS_MS[0], 0);
  });

  it('then retries with decreasing frequency (gaps never shrink)', () => {
    for (let i = 1; i < META_RETRY_DELAYS_MS.length; i++)
      assert.ok((META_RETRY_DELAYS_MS[i] as number) >= (META_RETRY_DELAYS_MS[i - 1] as number));
  });

  it('stops within 7 days, and one more daily retry would pass 7 days', () => {
    const total = META_RETRY_DELAYS_MS.reduce((a, b) => a + b, 0);
    assert.ok(total <= META_RETRY_WINDOW_MS);
    assert.ok(total + 86_400_000 > META_RETRY_WINDOW_MS);
  });

  it('divides every delay by the time scale', () => {
    const scaled = metaRetrySchedule({ timeScale: 3600 });
    assert.deepEqual(
      scaled,
      META_RETRY_DELAYS_MS.map((d) => d / 3600),
    );
    assert.equal(metaRetrySchedule({ maxRetries: 3 }).length, 3);
  });

  it('rejects a time scale that is not positive', () => {
    assert.throws(() => metaRetrySchedule({ timeScale: 0 }), RangeError);
  });
});

describe('sendWithMetaRetries', () => {
  const noSleep = async (): Promise<void> => {};

  it('retries every non-200 answer, 201 and 4xx included, until a 200', async () => {
    const script = [answer(201), answer(400), answer(null), answer(200)];
    const outcome = await sendWithMetaRetries({
      send: async () => script.shift() as SendResult,
      sleep: noSleep,
    });
    assert.equal(outcome.acknowledged, true);
    assert.deepEqual(
      outcome.attempts.map((a) => a.result.status),
      [201, 400, null, 200],
    );
    assert.deepEqual(
      outcome.attempts.map((a) => a.metaDelayMs),
      [0, ...META_RETRY_DELAYS_MS.slice(0, 3)],
    );
  });

  it('waits the scaled delays between attempts', async () => {
    const waits: number[] = [];
    const script = [answer(500), answer(500), answer(500), answer(200)];
    await sendWithMetaRetries({
      send: async () => script.shift() as SendResult,
      timeScale: 60,
      sleep: async (ms) => void waits.push(ms),
    });
    assert.deepEqual(waits, [0, 1_000, 5_000]);
  });

  it('gives up when the schedule runs out and reports it unacknowledged', async () => {
    const outcome = await sendWithMetaRetries({
      send: async () => answer(500),
      maxRetries: 2,
      sleep: noSleep,
    });
    assert.equal(outcome.acknowledged, false);
    assert.equal(outcome.attempts.length, 3);
  });

  it('sends once with retries off', async () => {
    const outcome = await sendWithMetaRetries({
      send: async () => answer(500),
      retry: false,
      sleep: noSleep,
    });
    assert.equal(outcome.attempts.length, 1);
  });

  it('against a server that fails twice, then times out, then recovers: 4 attempts, same bytes, acknowledged', async () => {
    const server = await startServer((_req, res, i) => {
      if (i === 2) return; // third attempt: no answer → timeout
      res.writeHead(i < 2 ? 500 : 200).end();
    });
    try {
      const started = Date.now();
      const body = Buffer.from('{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[]}]}');
      const outcome = await sendWithMetaRetries({
        send: () => sendDelivery({ url: server.url, secret: 's', body, timeoutMs: 150 }),
        timeScale: 1_000_000,
      });
      assert.ok(Date.now() - started < 2_000);
      assert.equal(outcome.acknowledged, true);
      assert.deepEqual(
        outcome.attempts.map((a) => a.result.status ?? a.result.error),
        [500, 500, 'timeout', 200],
      );
      assert.equal(server.requests.length, 4);
      for (const req of server.requests) {
        assert.deepEqual(req.body, body);
        assert.equal(verifySignature(req.body, req.headers['x-hub-signature-256'] as string, ['s']).ok, true);
      }
    } finally {
      await server.close();
    }
  });
});
