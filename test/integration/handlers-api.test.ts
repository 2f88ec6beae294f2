import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { connect, type Socket } from 'node:net';
import { apiGet, httpRequest, postSigned } from '../helpers/post-signed.js';
import { TEST_API_TOKEN, TEST_SECRET } from '../helpers/start-test-wharf.js';
import { DontRetryError } from '../../src/app/handler-errors.js';
import { startHandlerWharf, type HandlerWharf } from '../helpers/start-handler-wharf.js';
import { waitFor } from '../helpers/wait-for.js';
import type { HandlerAttemptFailure } from '../../src/app/handler-registry.js';

const auth = { authorization: `Bearer ${TEST_API_TOKEN}`, 'content-type': 'application/json' };

/** Puts a delivery, its event and the outbox row the processor would have written (processor-independent). */
function seed(dbPath: string, key: string, target: string): { deliveryId: number; rowId: number } {
  const db = new Database(dbPath);
  try {
    const now = Date.now();
    const deliveryId = Number(
      db
        .prepare(
          `INSERT INTO deliveries (received_at, body_hash, body, size, secret_index, request_id)
           VALUES (?, ?, x'7b7d', 2, 0, 'r')`,
        )
        .run(now, `hash-${key}`).lastInsertRowid,
    );
    db.prepare(
      `INSERT INTO delivery_outcomes (delivery_id, state, processed_at) VALUES (?, 'processed', ?)`,
    ).run(deliveryId, now);
    const eventId = Number(
      db
        .prepare(
          `INSERT INTO events (key, name, field, occurred_at, waba_id, phone_number_id, contact_wa_id, data, raw, delivery_id, created_at)
           VALUES (?, 'message.text', 'messages', ?, 'waba-1', '900000000000001', '447700900123', '{"kind":"text","body":"hi"}', '{}', ?, ?)`,
        )
        .run(key, now, deliveryId, now).lastInsertRowid,
    );
    const rowId = Number(
      db
        .prepare(
          `INSERT INTO outbox (event_id, target, next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
        )
        .run(eventId, target, now, now, now).lastInsertRowid,
    );
    return { deliveryId, rowId };
  } finally {
    db.close();
  }
}

const post = (w: HandlerWharf, path: string, body?: unknown) =>
  httpRequest(w.baseUrl + path, {
    method: 'POST',
    headers: auth,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });

describe('handlers, dead letters and replay through createWharf and the API', () => {
  let w: HandlerWharf;
  let fixed = false;
  const calls: string[] = [];
  const failures: HandlerAttemptFailure[] = [];
  before(async () => {
    w = await startHandlerWharf((wharf) => {
      wharf.on(
        'message.text',
        (e) => {
          calls.push(`${e.key}:${e.data.body}`);
          if (!fixed) throw new Error('CRM is down');
        },
        { id: 'crm' },
      );
      wharf.onError((f) => void failures.push(f));
    });
  });
  after(() => w.stop());

  test('an always failing handler ends as a dead letter, listed by the API, and succeeds on replay once fixed', async () => {
    const { rowId } = seed(w.dbPath, 'k-dead', 'crm');
    await waitFor('dead letter listed', async () => {
      const r = await apiGet(w.baseUrl, '/api/v1/dead-letters', TEST_API_TOKEN);
      return (JSON.parse(r.body) as { total: number }).total === 1;
    });
    assert.equal(calls.filter((c) => c.startsWith('k-dead')).length, 3, 'WHARF_HANDLER_MAX_ATTEMPTS=3');
    const list = JSON.parse(
      (await apiGet(w.baseUrl, '/api/v1/dead-letters?target=crm', TEST_API_TOKEN)).body,
    );
    const dl = list.data[0];
    assert.equal(dl.id, String(rowId));
    assert.deepEqual(dl.event.name, 'message.text');
    assert.equal(dl.event.key, 'k-dead');
    assert.equal(dl.target, 'crm');
    assert.equal(dl.attempts, 3);
    assert.match(dl.last_error, /CRM is down/);
    assert.ok(!Number.isNaN(Date.parse(dl.dead_at)));
    assert.deepEqual(
      failures.map((f) => [f.target, f.pattern, f.attempt, f.willRetry]),
      [
        ['crm', 'message.text', 1, true],
        ['crm', 'message.text', 2, true],
        ['crm', 'message.text', 3, false],
      ],
    );

    fixed = true;
    const replay = await post(w, `/api/v1/dead-letters/${rowId}/replay`);
    assert.equal(replay.status, 202);
    assert.equal(JSON.parse(replay.body).state, 'pending');
    // The outcome is recorded (and counted) a moment after the handler returns, with others.
    await waitFor('delivered and recorded', async () => {
      const r = await apiGet(w.baseUrl, '/api/v1/dead-letters', TEST_API_TOKEN);
      const m = (await httpRequest(w.baseUrl + '/metrics')).body;
      return (
        (JSON.parse(r.body) as { total: number }).total === 0 &&
        calls.length === 4 &&
        /wharf_handler_attempts_total\{target="crm",outcome="delivered"\} 1/.test(m)
      );
    });
    assert.equal(calls.at(-1), 'k-dead:hi');
    assert.equal((await post(w, `/api/v1/dead-letters/${rowId}/replay`)).status, 409, 'no longer dead');
    assert.equal((await post(w, '/api/v1/dead-letters/987654/replay')).status, 404);

    const metrics = (await httpRequest(w.baseUrl + '/metrics')).body;
    assert.match(metrics, /wharf_handler_attempts_total\{target="crm",outcome="retry"\} 2/);
    assert.match(metrics, /wharf_handler_attempts_total\{target="crm",outcome="dead"\} 1/);
    assert.match(metrics, /wharf_handler_attempts_total\{target="crm",outcome="delivered"\} 1/);
    assert.match(metrics, /wharf_dead_letters_total\{target="crm"\} 1/);
    assert.match(metrics, /wharf_outbox_depth\{state="dead"\} 0/);
  });

  test('POST /api/v1/replay re-delivers a delivery’s events; bad input gets a clear 400', async () => {
    fixed = true;
    const { deliveryId } = seed(w.dbPath, 'k-replay', 'crm');
    await waitFor('first delivery', () => calls.includes('k-replay:hi'));
    const r = await post(w, '/api/v1/replay', { delivery_id: String(deliveryId) });
    assert.equal(r.status, 202);
    assert.deepEqual(JSON.parse(r.body), { mode: 'redeliver', deliveries: 1, outbox_rows: 1 });
    await waitFor('re-delivered', () => calls.filter((c) => c === 'k-replay:hi').length === 2);

    const range = await post(w, '/api/v1/replay', {
      from: new Date(Date.now() - 60_000).toISOString(),
      to: new Date(Date.now() + 1000).toISOString(),
      mode: 'rederive',
    });
    assert.equal(range.status, 202);
    assert.equal(JSON.parse(range.body).outbox_rows, 0);

    assert.equal((await post(w, '/api/v1/replay', { delivery_id: 99999999 })).status, 404);
    for (const [body, message] of [
      ['not json', /JSON/],
      [{}, /delivery_id, or from and to/],
      [{ delivery_id: 1, from: '2026-01-01T00:00:00Z' }, /either/],
      [{ delivery_id: 'abc' }, /delivery_id/],
      [{ from: '2026-01-02', to: '2026-01-03T00:00:00Z' }, /from must be an ISO 8601/],
      [{ from: '2026-01-03T00:00:00Z', to: '2026-01-02T00:00:00Z' }, /earlier/],
      [{ delivery_id: 1, mode: 'again' }, /mode/],
      [{ delivery_id: 1, extra: true }, /unknown field/],
    ] as const) {
      const res = await post(w, '/api/v1/replay', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(JSON.parse(res.body).error.message, message);
    }
    const bad = await apiGet(w.baseUrl, '/api/v1/dead-letters?cursor=zz!', TEST_API_TOKEN);
    assert.equal(bad.status, 400);
  });
});

describe('at least once across a restart', () => {
  test('a pending row left by a stopped Wharf is handled after the next listen()', async () => {
    let started = false;
    // A short shutdown grace: close() aborts the hung attempt instead of waiting for it.
    const w = await startHandlerWharf(
      (wharf) =>
        wharf.on(
          'message.*',
          () => {
            started = true;
            return new Promise(() => {});
          },
          { timeoutMs: 60_000 },
        ),
      { WHARF_SHUTDOWN_TIMEOUT_MS: 50 },
    );
    try {
      seed(w.dbPath, 'k-restart', 'on:message.*:1');
      await waitFor('first attempt running', () => started);
      const seen: string[] = [];
      await w.restart((wharf) => wharf.on('message.*', (e) => void seen.push(e.key)));
      await waitFor('handled after restart', () => seen.includes('k-restart'));
    } finally {
      await w.stop();
    }
  });
});

describe('listen() twice', () => {
  test('the second call is refused, instead of opening a second server and dispatcher that close() never stops', async () => {
    const w = await startHandlerWharf((wharf) => wharf.onAny(() => undefined));
    try {
      await assert.rejects(w.wharf.listen(), /listen\(\) was already called/);
    } finally {
      await w.stop();
    }
  });
});

describe('a handler removed between restarts', () => {
  test('its pending rows are named in a start-up warning, also when no handler is registered any more', async () => {
    const w = await startHandlerWharf(() => undefined);
    try {
      seed(w.dbPath, 'k-orphan', 'crm');
      await w.restart(() => undefined);
      const warning = w.logs
        .map((l) => JSON.parse(l) as { msg?: string; target?: string; pending?: number })
        .find((l) => l.target === 'crm' && /not registered/.test(l.msg ?? ''));
      assert.ok(warning, `no warning about the rows of "crm" in:\n${w.logs.join('\n')}`);
      assert.equal(warning.pending, 1);
    } finally {
      await w.stop();
    }
  });
});

describe('close() with a slow request and a hanging handler', () => {
  test('the whole shutdown stays within WHARF_SHUTDOWN_TIMEOUT_MS, not that bound once per stage', async () => {
    const boundMs = 1500;
    let called: () => void = () => undefined;
    const handlerCalled = new Promise<void>((r) => (called = r));
    const w = await startHandlerWharf(() => undefined, { WHARF_SHUTDOWN_TIMEOUT_MS: boundMs });
    let socket: Socket | undefined;
    try {
      seed(w.dbPath, 'k-hang', 'hangs');
      await w.restart((wharf) =>
        wharf.onAny(
          () => {
            called();
            return new Promise<void>(() => undefined);
          },
          { id: 'hangs' },
        ),
      );
      await handlerCalled;
      // An API request whose body never finishes arriving keeps the HTTP drain busy until the bound.
      const url = new URL(w.baseUrl);
      socket = connect(Number(url.port), url.hostname);
      await new Promise((r) => socket?.once('connect', r));
      socket.write(
        `POST /api/v1/replay HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_API_TOKEN}\r\n` +
          'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"from',
      );
      await new Promise((r) => setTimeout(r, 100));
      const started = performance.now();
      await w.wharf.close();
      const took = performance.now() - started;
      // Each stage alone waits up to the bound; one after the other they took twice it.
      assert.ok(took < boundMs * 1.6, `close() took ${Math.round(took)} ms for a ${boundMs} ms bound`);
    } finally {
      socket?.destroy();
      await w.stop();
    }
  });
});

describe('end to end: a signed delivery reaches the handler through the processor', () => {
  test('POST → processor → outbox → handler, with the event and its key; a failing handler does not hold up another', async () => {
    const seen: Array<{ key: string; body: string; ctxKey: string }> = [];
    let flakyCalls = 0;
    const w = await startHandlerWharf((wharf) => {
      wharf.on(
        'message.text',
        (e, ctx) => void seen.push({ key: e.key, body: e.data.body, ctxKey: ctx.idempotencyKey }),
      );
      wharf.on('message.*', () => {
        flakyCalls++;
        if (flakyCalls <= 2) throw new Error(`flaky ${flakyCalls}`);
      });
      wharf.onAny(() => Promise.reject(new DontRetryError('never')), { id: 'refuses' });
    });
    try {
      const body = JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: '800000000000001',
            changes: [
              {
                field: 'messages',
                value: {
                  messaging_product: 'whatsapp',
                  metadata: { display_phone_number: '15551230000', phone_number_id: '900000000000001' },
                  contacts: [{ profile: { name: 'Ana' }, wa_id: '447700900123' }],
                  messages: [
                    {
                      from: '447700900123',
                      id: 'wamid.E2E1',
                      timestamp: '1767225600',
                      type: 'text',
                      text: { body: 'olá' },
                    },
                  ],
                },
              },
            ],
          },
        ],
      });
      const r = await postSigned(w.baseUrl + '/webhooks/whatsapp', body, TEST_SECRET);
      assert.equal(r.status, 200);
      await waitFor('handler called', () => seen.length === 1);
      assert.equal(seen[0]?.body, 'olá');
      assert.match(seen[0]?.key ?? '', /wamid\.E2E1/);
      assert.equal(seen[0]?.ctxKey, seen[0]?.key);
      await waitFor('flaky handler delivered on its third call', () => flakyCalls === 3);
      await waitFor('refusing handler dead-lettered', async () => {
        const dl = JSON.parse((await apiGet(w.baseUrl, '/api/v1/dead-letters', TEST_API_TOKEN)).body);
        return dl.total === 1 && dl.data[0].target === 'refuses';
      });
      // The same bytes again (Meta's retry) derive nothing new: no second call.
      assert.equal((await postSigned(w.baseUrl + '/webhooks/whatsapp', body, TEST_SECRET)).status, 200);
      await new Promise((res) => setTimeout(res, 100));
      assert.equal(seen.length, 1);
      assert.equal(flakyCalls, 3);
    } finally {
      await w.stop();
    }
  });
});
