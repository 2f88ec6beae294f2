/**
 * The Graph API client (src/adapters/graph/graph-client.ts) against the local Graph mock
 * (wharf/testing startGraphMock), which answers as Meta documents: bearer token, send answer,
 * error bodies with fbtrace_id, 131047 outside the window, 130429 past the throughput.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createGraphClient } from '../../src/adapters/graph/graph-client.js';
import { startGraphMock, type GraphMock } from '../../src/testing.js';
import { closedPort } from '../simulator/local-server.js';

const TOKEN = 'graph-token-never-printed';
const NUMBER = '106540352242922';
const T0 = Date.parse('2026-03-01T10:00:00Z');

describe('Graph API client against the local Graph mock', () => {
  let clock = T0;
  let mock: GraphMock;
  before(async () => {
    mock = await startGraphMock({ accessToken: TOKEN, now: () => clock, throughputPerNumber: 5 });
  });
  after(() => mock.close());
  const client = () => createGraphClient({ graphUrl: mock.url, accessToken: TOKEN, timeoutMs: 2000 });

  test('a text inside the 24 h window is accepted with a wamid and the contact Meta resolved', async () => {
    mock.state.userMessaged('447700900123', clock - 60_000);
    const graph = client();
    const r = await graph.sendMessage(NUMBER, { to: '+44 7700 900123', type: 'text', text: { body: 'hi' } });
    await graph.close();
    assert.equal(r.kind, 'accepted');
    if (r.kind !== 'accepted') return;
    assert.match(r.wamid, /^wamid\./);
    assert.equal(r.waId, '447700900123');
    assert.ok(r.fbtraceId);
    const sent = mock.state.sendsFor(NUMBER).at(-1);
    assert.equal(sent?.wamid, r.wamid);
    assert.equal(sent?.body.messaging_product, 'whatsapp');
  });

  test('a BSUID recipient is answered with user_id; a template gets message_status accepted', async () => {
    const graph = client();
    const r = await graph.sendMessage(NUMBER, {
      recipient: 'GB.4829103748291037482',
      type: 'template',
      template: { name: 'order_update', language: { code: 'en' } },
    });
    await graph.close();
    assert.equal(r.kind, 'accepted');
    if (r.kind !== 'accepted') return;
    assert.equal(r.userId, 'GB.4829103748291037482');
    assert.equal(r.waId, null);
    assert.equal(r.messageStatus, 'accepted');
  });

  test('outside the window Meta answers 131047, taken apart with its policy (send a template)', async () => {
    const graph = client();
    const r = await graph.sendMessage(NUMBER, { to: '15550001111', type: 'text', text: { body: 'late' } });
    await graph.close();
    assert.equal(r.kind, 'meta_error');
    if (r.kind !== 'meta_error') return;
    assert.equal(r.httpStatus, 400);
    assert.equal(r.error.code, 131047);
    assert.equal(r.error.category, 'window');
    assert.equal(r.error.action, 'send_template');
    assert.match(r.error.details ?? '', /24 hours/);
    assert.match(r.error.fbtraceId ?? '', /^A/);
  });

  test('the window closes 24 h after the last inbound message, on the injected clock', async () => {
    mock.state.userMessaged('447700900555', clock);
    clock += 24 * 3600_000;
    const graph = client();
    const r = await graph.sendMessage(NUMBER, { to: '447700900555', type: 'text', text: { body: 'x' } });
    await graph.close();
    assert.equal(r.kind === 'meta_error' && r.error.code, 131047);
  });

  test('a wrong token gets 401 with code 190 (auth), and the token is in no answer text', async () => {
    const graph = createGraphClient({ graphUrl: mock.url, accessToken: 'wrong-token' });
    const r = await graph.sendMessage(NUMBER, { to: '447700900123', type: 'text', text: { body: 'x' } });
    await graph.close();
    assert.equal(r.kind, 'meta_error');
    if (r.kind !== 'meta_error') return;
    assert.equal(r.httpStatus, 401);
    assert.equal(r.error.code, 190);
    assert.equal(JSON.stringify(r).includes('wrong-token'), false);
  });

  test('past the number’s throughput Meta answers 130429 (throttling); the bucket refills with the clock', async () => {
    mock.state.userMessaged('447700900777', clock);
    const graph = client();
    const other = '106540352249999';
    const codes: Array<number | null> = [];
    for (let i = 0; i < 6; i++) {
      const r = await graph.sendMessage(other, { to: '447700900777', type: 'text', text: { body: `${i}` } });
      codes.push(r.kind === 'accepted' ? 0 : r.kind === 'meta_error' ? r.error.code : -1);
    }
    assert.deepEqual(codes, [0, 0, 0, 0, 0, 130429]);
    clock += 1000;
    const again = await graph.sendMessage(other, { to: '447700900777', type: 'text', text: { body: 'x' } });
    await graph.close();
    assert.equal(again.kind, 'accepted');
  });

  test('a missing field is code 100/131008 naming it; an HTML 502 is an http_error with an excerpt', async () => {
    const graph = client();
    const r = await graph.sendMessage(NUMBER, { type: 'text', text: { body: 'x' } });
    assert.equal(r.kind === 'meta_error' && r.error.code, 131008);
    assert.match(r.kind === 'meta_error' ? (r.error.details ?? '') : '', /\bto\b/);
    mock.state.failNext({ status: 502, json: '<html>Bad Gateway</html>' });
    const bad = await graph.sendMessage(NUMBER, { to: '447700900123', type: 'text', text: { body: 'x' } });
    await graph.close();
    assert.equal(bad.kind, 'http_error');
    assert.equal(bad.kind === 'http_error' && bad.httpStatus, 502);
  });

  test('no answer in time is a timeout; a closed port is unreachable (nothing was sent)', async () => {
    mock.state.failNext({ hang: true });
    const slow = createGraphClient({ graphUrl: mock.url, accessToken: TOKEN, timeoutMs: 200 });
    const r = await slow.sendMessage(NUMBER, { to: '447700900123', type: 'text', text: { body: 'x' } });
    await slow.close();
    assert.deepEqual(r, { kind: 'timeout', timeoutMs: 200 });
    const down = createGraphClient({
      graphUrl: `http://127.0.0.1:${await closedPort()}/v24.0`,
      accessToken: TOKEN,
    });
    const d = await down.sendMessage(NUMBER, { to: '447700900123', type: 'text', text: { body: 'x' } });
    await down.close();
    assert.equal(d.kind, 'unreachable');
  });
});
