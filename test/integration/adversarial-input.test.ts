/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are read loosely; the assertions check their shape. */
/**
 * Correctly signed bodies that are hostile to parse, normalize and derive, on SQLite and on
 * PostgreSQL: each is acknowledged 200 (it is signed and stored), gets a final outcome visible in
 * GET /api/v1/deliveries (processed, or invalid with a reason saying why), never holds back the
 * deliveries behind it, and the process keeps answering /healthz meanwhile.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { apiGet, httpRequest, postSigned } from '../helpers/post-signed.js';
import { startTestWharf, TEST_API_TOKEN, TEST_SECRET, type TestWharf } from '../helpers/start-test-wharf.js';
import { postgresSuite } from '../helpers/postgres-test-db.js';
import { envelope, statusItem, textDelivery } from '../helpers/webhook-bodies.js';
import { waitFor } from '../helpers/wait-for.js';

const T0 = 1767225600;
const metadata = { display_phone_number: '15551230000', phone_number_id: '900000000000001' };
const sha256 = (b: string | Uint8Array) => createHash('sha256').update(b).digest('hex');
const DEPTH = 100_000;

const deepArray = envelope('messages', { metadata }).replace(
  '"metadata":',
  `"deep":${'['.repeat(DEPTH)}${']'.repeat(DEPTH)},"metadata":`,
);
const deepText = textDelivery('wamid.DEEP', T0, 'x').replace(
  '"text":{"body":"x"}',
  `"text":${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`,
);
const deepUnknownField = `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"not_a_field","value":${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}}]}]}`;

const BULK = 30_000;
const bulkStatuses = envelope('messages', {
  messaging_product: 'whatsapp',
  metadata,
  statuses: Array.from({ length: BULK }, (_, i) =>
    statusItem({ wamid: `wamid.BULK${i}`, status: 'delivered', ts: T0 + 1 }),
  ),
});

// Written out by hand: JSON.stringify would drop `__proto__` keys from object literals.
const P = '"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"toString":"x"';
const protoKeys = `{${P},"object":"whatsapp_business_account","entry":[{${P},"id":"800000000000001","changes":[{${P},"field":"messages","value":{${P},"metadata":{${P},"phone_number_id":"900000000000001"},"contacts":[{${P},"wa_id":"__proto__","profile":{${P},"name":"constructor"}}],"messages":[{${P},"from":"__proto__","id":"wamid.PROTO","timestamp":"${T0}","type":"text","text":{${P},"body":"hi"}},{"from":"toString","id":"constructor","timestamp":"${T0}","type":"__proto__"}],"statuses":[{${P},"id":"wamid.PROTO","status":"read","timestamp":"${T0 + 2}","recipient_id":"__proto__","errors":[{${P}}]}]}}]}]}`;

const loneSurrogates = `{"object":"whatsapp_business_account","entry":[{"id":"800000000000001","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"900000000000001"},"contacts":[{"wa_id":"447700900777","profile":{"name":"Ana \\ud800"}}],"messages":[{"from":"447700900777","id":"wamid.SURR\\ud800","timestamp":"${T0}","type":"text","text":{"body":"\\udc00"}}],"statuses":[{"id":"wamid.SURR\\udbff","status":"sent","timestamp":"${T0}","recipient_id":"447700900777"}]}}]}]}`;

// 8,640,000,000,000,001 ms is one past the largest Date and still a safe integer.
const oddTimes = envelope('messages', {
  metadata,
  contacts: [{ profile: { name: 'Ana' }, wa_id: '447700900888' }],
  messages: [
    ['wamid.TIME1', 8_640_000_000_000_001],
    ['wamid.TIME2', '8639999999999999'],
    ['wamid.TIME3', '1e308'],
    ['wamid.TIME4', '-1'],
    ['wamid.TIME5', 'NaN'],
    ['wamid.TIME6', -0],
  ].map(([id, timestamp]) => ({ from: '447700900888', id, timestamp, type: 'text', text: { body: 'x' } })),
  statuses: [
    { id: 'wamid.TIME1', status: 'read', timestamp: 8_640_000_000_000_001, recipient_id: '447700900888' },
  ],
});

// U+0000 is stored as U+FFFD (PostgreSQL text cannot hold it); a lookup with %00 must find it there.
const nulIds = textDelivery('wamid.NUL\u0000', T0, 'x', '447700900999\u0000');

const withBom = '\ufeff' + textDelivery('wamid.BOM', T0, 'after a byte order mark');

interface Hostile {
  readonly name: string;
  readonly body: string;
  /** `processed`, or the reason an invalid delivery must show. */
  readonly outcome: 'processed' | RegExp;
}

const HOSTILE: readonly Hostile[] = [
  { name: 'an array nested 100,000 levels deep', body: deepArray, outcome: /TOO_DEEP: .*nests \d+ levels/ },
  { name: 'a text body nested 100,000 levels deep', body: deepText, outcome: /TOO_DEEP: .*nests \d+ levels/ },
  { name: 'an unknown field nested 100,000 levels deep', body: deepUnknownField, outcome: /TOO_DEEP/ },
  { name: `${BULK} statuses in one change`, body: bulkStatuses, outcome: 'processed' },
  { name: '__proto__, constructor and toString keys at every level', body: protoKeys, outcome: 'processed' },
  { name: 'lone surrogates escaped as \\ud800 in ids and names', body: loneSurrogates, outcome: 'processed' },
  { name: 'a byte order mark before the JSON', body: withBom, outcome: 'processed' },
  { name: 'U+0000 in a wamid and a phone number', body: nulIds, outcome: 'processed' },
  { name: 'timestamps past the largest date, negative, NaN and 1e308', body: oddTimes, outcome: 'processed' },
];

/** Longest /healthz round trip while `during` runs, each request sent as soon as the last answered. */
async function slowestHealthz(baseUrl: string, during: Promise<unknown>): Promise<number> {
  let done = false;
  void during.finally(() => (done = true));
  let slowest = 0;
  while (!done) {
    const started = performance.now();
    assert.equal((await httpRequest(baseUrl + '/healthz')).status, 200);
    slowest = Math.max(slowest, performance.now() - started);
  }
  await during;
  return slowest;
}

function hostileInputSuite(start: () => Promise<TestWharf>): void {
  let w: TestWharf;
  const deliveries = new Map<string, any>();
  let slowest = 0;
  before(async () => {
    w = await start();
    const hook = w.baseUrl + '/webhooks/whatsapp';
    const everyOneFinal = (async () => {
      for (const h of HOSTILE)
        assert.equal((await postSigned(hook, h.body, TEST_SECRET)).status, 200, `${h.name} acknowledged`);
      // Sent last: it must not wait on any of the hostile ones.
      assert.equal((await postSigned(hook, textDelivery('wamid.AFTER', T0, 'ok'), TEST_SECRET)).status, 200);
      await waitFor(
        'every delivery processed or invalid',
        async () => {
          const page = JSON.parse(
            (await apiGet(w.baseUrl, '/api/v1/deliveries?limit=100', TEST_API_TOKEN)).body,
          );
          for (const d of page.data) deliveries.set(d.body_hash, d);
          return (
            page.data.length === HOSTILE.length + 1 &&
            page.data.every((d: any) => ['processed', 'invalid'].includes(d.state))
          );
        },
        60_000,
      );
    })();
    slowest = await slowestHealthz(w.baseUrl, everyOneFinal);
  });
  after(() => w.stop());

  for (const h of HOSTILE)
    test(`${h.name}: acknowledged, then ${h.outcome === 'processed' ? 'processed' : `invalid (${h.outcome.source})`}`, () => {
      const d = deliveries.get(sha256(h.body));
      assert.ok(d, 'stored');
      if (h.outcome === 'processed') assert.deepEqual([d.state, d.error], ['processed', null]);
      else {
        assert.equal(d.state, 'invalid');
        assert.match(String(d.error), h.outcome);
      }
    });

  test('a plain delivery sent after them all is processed', async () => {
    const r = await apiGet(w.baseUrl, '/api/v1/messages/wamid.AFTER', TEST_API_TOKEN);
    assert.equal(r.status, 200);
  });

  test('every status of the bulk change reached the state, the last one included', async () => {
    const r = await apiGet(w.baseUrl, `/api/v1/messages/wamid.BULK${BULK - 1}`, TEST_API_TOKEN);
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(r.body).status, 'delivered');
  });

  test('keys named __proto__ pollute no prototype and are read as plain data', async () => {
    assert.equal(({} as any).polluted, undefined);
    assert.equal((Object.prototype as any).polluted, undefined);
    const r = await apiGet(w.baseUrl, '/api/v1/messages/wamid.PROTO', TEST_API_TOKEN);
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(r.body).status, 'read');
  });

  test('a lone surrogate is stored as U+FFFD, and the event key the API shows is the one processing made', async () => {
    const r = await apiGet(
      w.baseUrl,
      `/api/v1/events?wamid=${encodeURIComponent('wamid.SURR\ufffd')}`,
      TEST_API_TOKEN,
    );
    assert.equal(r.status, 200);
    const events = JSON.parse(r.body).data as any[];
    assert.deepEqual(events.map((e) => e.name).sort(), ['message.text', 'status.sent']);
    for (const e of events) assert.equal(e.key, e.key.toWellFormed(), 'well-formed key');
  });

  test('the events, the message and the contact with unusable timestamps read back, with no time or a real one', async () => {
    const iso = (v: unknown) => v === null || (typeof v === 'string' && !Number.isNaN(Date.parse(v)));
    const contact = await apiGet(w.baseUrl, '/api/v1/contacts/447700900888', TEST_API_TOKEN);
    assert.equal(contact.status, 200, contact.body);
    assert.ok(iso(JSON.parse(contact.body).window_open_until), contact.body);
    const events = await apiGet(w.baseUrl, '/api/v1/events?contact=447700900888&limit=100', TEST_API_TOKEN);
    assert.equal(events.status, 200, events.body);
    const data = JSON.parse(events.body).data as any[];
    assert.equal(data.length, 7);
    for (const e of data) assert.ok(iso(e.occurred_at), e.occurred_at);
    for (let i = 1; i <= 6; i++) {
      const m = await apiGet(w.baseUrl, `/api/v1/messages/wamid.TIME${i}`, TEST_API_TOKEN);
      assert.equal(m.status, 200, `wamid.TIME${i}: ${m.body}`);
    }
  });

  test('a wamid, contact or phone number id with %00 in a lookup finds what was stored, never a 500', async () => {
    const get = (path: string) => apiGet(w.baseUrl, path, TEST_API_TOKEN);
    for (const path of ['/api/v1/messages/wamid.NUL%00', '/api/v1/contacts/447700900999%00']) {
      const r = await get(path);
      assert.equal(r.status, 200, `${path}: ${r.body}`);
    }
    for (const query of ['wamid=wamid.NUL%00', 'contact=447700900999%00']) {
      const r = await get(`/api/v1/events?${query}`);
      assert.equal(r.status, 200, `${query}: ${r.body}`);
      assert.deepEqual(
        JSON.parse(r.body).data.map((e: any) => e.wamid),
        ['wamid.NUL\ufffd'],
      );
    }
    for (const path of ['/api/v1/events?phone_number_id=%00', '/api/v1/dead-letters?target=%00']) {
      const none = await get(path);
      assert.equal(none.status, 200, `${path}: ${none.body}`);
      assert.deepEqual(JSON.parse(none.body).data, []);
    }
    const waiting = await get('/api/v1/messages/none%00?wait=read&timeout=1');
    assert.equal(waiting.status, 404, waiting.body);
  });

  // A liveness bound, not a speed figure: a hostile body that blocked the event loop (a parse or a
  // stringify of 100,000 nested levels on the main thread) stalls every answer for far longer; on a
  // loaded 2-core machine an ordinary pass stays well under it.
  test('/healthz kept answering while all of this was processed (never blocked for 10 s)', () => {
    assert.ok(slowest < 10_000, `slowest /healthz took ${Math.round(slowest)} ms`);
  });
}

// These bodies are up to 3 MB and commit while the whole suite runs on two cores: a commit past the
// 800 ms answer deadline is answered 503 (Meta retries), which is right but is not what this suite is
// about — every hostile body must be stored and then processed or recorded invalid.
const SLOW_COMMITS_ALLOWED = { WHARF_ANSWER_DEADLINE_MS: '10000' };

describe('hostile but signed deliveries on SQLite', { timeout: 120_000 }, () => {
  hostileInputSuite(() => startTestWharf(SLOW_COMMITS_ALLOWED));
});

await postgresSuite('hostile but signed deliveries on PostgreSQL', (pg) => {
  describe('on PostgreSQL', { timeout: 120_000 }, () => {
    hostileInputSuite(async () =>
      startTestWharf({ ...SLOW_COMMITS_ALLOWED, DATABASE_URL: await pg.freshSchemaUrl() }),
    );
  });
});
