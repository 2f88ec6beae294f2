/** Conformance fixtures for the http and slack kinds: local HTTP receivers (one accepting, one answering 500). */
import { createHttpTransport } from '../../src/adapters/destinations/http.js';
import { createSlackTransport, slackPayload } from '../../src/adapters/destinations/slack.js';
import type { TransportFixture } from '../conformance/destination-transport.conformance.js';
import { startHttpReceiver } from './http-receiver.js';
import { newSecret } from './outbound-message.js';

async function receivers() {
  const ok = await startHttpReceiver();
  const failing = await startHttpReceiver();
  failing.answer((_req, res) => {
    res.statusCode = 500;
    res.end('database down');
  });
  return { ok, failing };
}

export async function httpFixture(): Promise<TransportFixture> {
  const rx = await receivers();
  const open = (url: string) =>
    createHttpTransport({
      url,
      timeoutMs: 5000,
      maxInFlight: 4,
      secrets: () => [newSecret()],
      allowPrivate: true,
      userAgent: 'Wharf/test',
    });
  return {
    transport: open(`${rx.ok.url}/hook`),
    arrived: async () =>
      rx.ok.requests.map((r) => ({ body: r.body, id: String(r.headers['webhook-id']), key: null })),
    expectedBody: (m) => m.body,
    carries: { id: true, key: false },
    failing: () => open(`${rx.failing.url}/hook`),
    failureWords: /the receiver answered 500/,
    dispose: async () => {
      await rx.ok.close();
      await rx.failing.close();
    },
  };
}

export async function slackFixture(): Promise<TransportFixture> {
  const rx = await receivers();
  const open = (url: string) =>
    createSlackTransport({
      url,
      timeoutMs: 5000,
      maxInFlight: 4,
      allowPrivate: true,
      userAgent: 'Wharf/test',
    });
  return {
    transport: open(`${rx.ok.url}/services/T000/B000/XXXX`),
    arrived: async () => rx.ok.requests.map((r) => ({ body: r.body, id: null, key: null })),
    expectedBody: (m) => JSON.stringify(slackPayload(m.event)),
    carries: { id: false, key: false },
    failing: () => open(`${rx.failing.url}/services/T000/B000/XXXX`),
    failureWords: /the receiver answered 500/,
    dispose: async () => {
      await rx.ok.close();
      await rx.failing.close();
    },
  };
}
