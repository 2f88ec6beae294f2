import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifySignature } from '../../src/core/verify-signature.js';
import { formatReport } from '../../src/simulator/format-report.js';
import { SCENARIOS } from '../../src/simulator/scenarios/index.js';
import { simulate } from '../../src/simulator/simulate.js';
import { buildScenario, serializeLikeMeta } from '../../src/testing.js';
import { startServer, type LocalServer } from './local-server.js';

const SECRET = 'sim-secret';
const NOW = 1767225600;

describe('simulate() against a local endpoint', () => {
  let server: LocalServer;
  before(async () => {
    server = await startServer((_req, res) => res.writeHead(200).end());
  });
  after(() => server.close());

  it('sends every scenario, signed, in order, exactly the bytes buildScenario describes', async () => {
    const report = await simulate({
      url: server.url,
      secret: SECRET,
      seed: 9,
      now: NOW,
      sleep: async () => {},
    });
    assert.equal(report.ok, true);
    assert.deepEqual(
      report.scenarios.map((s) => s.name),
      SCENARIOS.map((s) => s.name),
    );
    const expected = SCENARIOS.flatMap((s) =>
      buildScenario(s.name, { seed: 9, now: NOW }).steps.flatMap((step) =>
        step.kind === 'delivery'
          ? Array.from({ length: step.times ?? 1 }, () => serializeLikeMeta(step.body))
          : [],
      ),
    );
    assert.equal(server.requests.length, expected.length);
    server.requests.forEach((req, i) => {
      assert.deepEqual(req.body, expected[i], `delivery ${i}`);
      assert.equal(
        verifySignature(req.body, req.headers['x-hub-signature-256'] as string, [SECRET]).ok,
        true,
      );
    });
  });

  it('reports each scenario with its expected events', async () => {
    const report = await simulate({
      url: server.url,
      secret: SECRET,
      scenarios: ['status-lifecycle'],
      now: NOW,
    });
    assert.deepEqual(report.scenarios[0]?.expect.events, {
      'status.sent': 1,
      'status.delivered': 1,
      'status.read': 1,
    });
    assert.equal(report.scenarios[0]?.deliveries.length, 3);
  });
});

describe('simulate() retries like Meta', () => {
  it('retries a server that fails first and recovers, and the summary says what was retried and why', async () => {
    const server = await startServer((_req, res, i) => res.writeHead(i < 2 ? 500 : 200).end());
    try {
      const report = await simulate({
        url: server.url,
        secret: SECRET,
        scenarios: ['account-restriction'],
        timeScale: 1e6,
      });
      assert.equal(report.ok, true);
      const attempts = report.scenarios[0]?.deliveries[0]?.attempts.map((a) => a.result.status);
      assert.deepEqual(attempts, [500, 500, 200]);
      const text = formatReport(report).join('\n');
      assert.match(
        text,
        /account ACCOUNT_RESTRICTION: HTTP 500, retry immediately → HTTP 500, retry after 1 min → HTTP 200/,
      );
      assert.match(text, /Retried: 1 of 1 deliveries \(3 POSTs in all\)/);
      assert.match(text, /^OK: 1\/1/m);
    } finally {
      await server.close();
    }
  });

  it('marks a delivery never answered with 200 as not acknowledged', async () => {
    const server = await startServer((_req, res) => res.writeHead(503).end());
    try {
      const report = await simulate({
        url: server.url,
        secret: SECRET,
        scenarios: ['account-restriction'],
        timeScale: 1e6,
        maxRetries: 2,
      });
      assert.equal(report.ok, false);
      assert.equal(server.requests.length, 3);
      const text = formatReport(report).join('\n');
      assert.match(text, /NOT ACKNOWLEDGED/);
      assert.match(text, /^FAILED: 0\/1/m);
    } finally {
      await server.close();
    }
  });

  it('sends a duplicate step twice with identical bytes', async () => {
    const server = await startServer((_req, res) => res.writeHead(200).end());
    try {
      await simulate({
        url: server.url,
        secret: SECRET,
        scenarios: ['duplicate-retries'],
        sleep: async () => {},
      });
      assert.deepEqual(server.requests[0]?.body, server.requests[1]?.body);
      assert.notDeepEqual(server.requests[1]?.body, server.requests[2]?.body);
    } finally {
      await server.close();
    }
  });
});
