import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { verifySignature } from '../../src/core/verify-signature.js';
import { createLoadBodies } from '../../src/simulator/load-bodies.js';
import { percentile, summarizeLoad } from '../../src/simulator/load-summary.js';
import { runLoad } from '../../src/simulator/load.js';
import { findScenarios } from '../../src/simulator/scenarios/index.js';
import { startServer } from './local-server.js';

describe('load summary', () => {
  it('uses nearest-rank percentiles', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(sorted, 50), 50);
    assert.equal(percentile(sorted, 99), 99);
    assert.equal(percentile([7], 99), 7);
    assert.equal(percentile([], 50), null);
  });

  it('counts answers by status code and unanswered requests by reason', () => {
    const s = summarizeLoad(
      [
        { status: 200, latencyMs: 1, bytes: 1 },
        { status: 200, latencyMs: 3, bytes: 1 },
        { status: 503, latencyMs: 2, bytes: 1 },
        { status: null, latencyMs: 100, bytes: 1, error: 'timeout' },
      ],
      2_000,
    );
    assert.deepEqual(
      { sent: s.sent, ok: s.ok, byStatus: s.byStatus, errors: s.errors, p50: s.p50Ms, rate: s.achievedRate },
      { sent: 4, ok: 2, byStatus: { '200': 2, '503': 1 }, errors: { timeout: 1 }, p50: 2, rate: 2 },
    );
  });
});

describe('load mode', () => {
  it('sends 200 signed requests in about 1 s at 200/s over at most 4 keep-alive connections', async () => {
    const server = await startServer((_req, res, i) => res.writeHead(i % 10 === 9 ? 503 : 200).end());
    try {
      const summary = await runLoad({
        url: server.url,
        secret: 'load-secret',
        rate: 200,
        durationSeconds: 1,
        connections: 4,
        timeoutMs: 2_000,
        makeBody: createLoadBodies({ seed: 1, now: 1767225600 }),
      });
      assert.equal(summary.sent, 200);
      assert.deepEqual(summary.byStatus, { '200': 180, '503': 20 });
      assert.equal(summary.ok, 180);
      assert.deepEqual(summary.errors, {});
      assert.ok(summary.elapsedMs >= 950 && summary.elapsedMs < 2_500, `elapsed ${summary.elapsedMs}`);
      assert.ok(summary.p50Ms !== null && summary.p99Ms !== null && summary.p50Ms <= summary.p99Ms);
      assert.ok(server.connections() <= 4, `${server.connections()} connections`);
      const bodies = new Set(server.requests.map((r) => r.body.toString('latin1')));
      assert.equal(bodies.size, 200, 'every request carries fresh ids');
      const last = server.requests.at(-1);
      assert.ok(
        last && verifySignature(last.body, last.headers['x-hub-signature-256'] as string, ['load-secret']).ok,
      );
    } finally {
      await server.close();
    }
  });

  it('can cycle through a chosen scenario instead of the status batch', () => {
    const [scenario] = findScenarios(['status-lifecycle']);
    const next = createLoadBodies({ seed: 1, now: 1767225600, ...(scenario ? { scenario } : {}) });
    const fields = Array.from({ length: 7 }, (_, i) => JSON.stringify(next(i)));
    assert.ok(fields.every((f) => f.includes('"statuses"')));
    assert.equal(new Set(fields).size, 7, 'a new round draws new wamids');
  });

  it('refuses a rate, duration or connection count that is not positive', async () => {
    const base = { url: 'http://127.0.0.1:1/', secret: 's', makeBody: () => ({}) };
    await assert.rejects(runLoad({ ...base, rate: 0, durationSeconds: 1, connections: 1 }), RangeError);
    await assert.rejects(runLoad({ ...base, rate: 1, durationSeconds: 1, connections: 0 }), RangeError);
  });
});
