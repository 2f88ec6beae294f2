/**
 * Sending from several processes on one PostgreSQL database, against the local Graph API mock:
 * the same Idempotency-Key sent to two processes at once calls Meta once and both answer the same;
 * a process killed (-9) between its record and Meta's answer leaves the send `unknown`, and no
 * process sends it again.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { postgresSuite } from '../helpers/postgres-test-db.js';
import { spawnWharf, type SpawnedWharf } from '../helpers/spawn-wharf.js';
import { httpRequest, postSigned } from '../helpers/post-signed.js';
import { textDelivery, PNID } from '../helpers/webhook-bodies.js';
import { waitFor } from '../helpers/wait-for.js';
import { startGraphMock, type GraphMock } from '../../src/testing.js';

const TOKEN = 'graph-token-pg-send';
const API = 'api-token-pg-send';
const SECRET = 'app-secret-pg-send';
const ANA = '447700900123';

await postgresSuite('sending from two processes on PostgreSQL', (pg) => {
  let mock: GraphMock;
  let a: SpawnedWharf;
  let b: SpawnedWharf;
  let env: Record<string, string>;

  const send = async (w: SpawnedWharf, key: string, body: string) => {
    const r = await httpRequest(`http://127.0.0.1:${w.port}/api/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({ phone_number_id: PNID, to: ANA, type: 'text', text: { body } }),
    });
    return { status: r.status, json: JSON.parse(r.body) as Record<string, unknown> };
  };

  before(async () => {
    mock = await startGraphMock({ accessToken: TOKEN, latencyMs: 150 });
    mock.state.userMessaged(ANA);
    env = {
      DATABASE_URL: await pg.freshSchemaUrl(),
      WHATSAPP_APP_SECRET: SECRET,
      WHARF_API_TOKEN: API,
      WHATSAPP_ACCESS_TOKEN: TOKEN,
      WHATSAPP_GRAPH_URL: mock.url,
      WHARF_SEND_TIMEOUT_MS: '1000',
    };
    a = await spawnWharf(env);
    b = await spawnWharf(env);
    const ts = Math.floor(Date.now() / 1000);
    const r = await postSigned(
      `http://127.0.0.1:${a.port}/webhooks/whatsapp`,
      textDelivery('wamid.IN.PG.1', ts, 'hi', ANA),
      SECRET,
    );
    assert.equal(r.status, 200);
    await waitFor(
      'the inbound message',
      async () => {
        const m = await httpRequest(`http://127.0.0.1:${b.port}/api/v1/messages/wamid.IN.PG.1`, {
          headers: { authorization: `Bearer ${API}` },
        });
        return m.status === 200;
      },
      20_000,
    );
  });
  after(async () => {
    for (const w of [a, b])
      if (w && w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
    await Promise.all([a?.exited, b?.exited]);
    await mock.close();
  });

  test('the same Idempotency-Key to two processes at once: one call to Meta, the same answer from both', async () => {
    const before = mock.state.sends.length;
    for (const key of ['pg-key-1', 'pg-key-2', 'pg-key-3']) {
      const [x, y] = await Promise.all([send(a, key, `hello ${key}`), send(b, key, `hello ${key}`)]);
      assert.equal(x.status, 201, JSON.stringify(x.json));
      assert.equal(y.status, 201, JSON.stringify(y.json));
      assert.deepEqual(x.json, y.json);
    }
    assert.equal(mock.state.sends.length, before + 3);
  });

  test('kill -9 after the record, before Meta answered: the send reads unknown and is never sent again', async () => {
    mock.state.failNext({ hang: true });
    const calls = mock.state.calls.length;
    const pending = send(a, 'pg-kill-9', 'in flight').catch(() => null);
    await waitFor('the request to reach Meta', () => mock.state.calls.length > calls, 10_000);
    a.child.kill('SIGKILL');
    await a.exited;
    await pending;
    const answer = await send(b, 'pg-kill-9', 'in flight');
    assert.equal(answer.status, 504);
    assert.equal(answer.json.status, 'unknown');
    assert.match(String(answer.json.reason), /stopped before Meta answered/);
    const record = await httpRequest(`http://127.0.0.1:${b.port}/api/v1/messages/${String(answer.json.id)}`, {
      headers: { authorization: `Bearer ${API}` },
    });
    assert.equal((JSON.parse(record.body) as { send: { state: string } }).send.state, 'unknown');
    assert.equal(mock.state.calls.length, calls + 1, 'Meta was called once, by the killed process');
  });
});
