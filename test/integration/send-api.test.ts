/**
 * POST /api/v1/messages against the local Graph API mock (SQLite): guards before Meta, the record
 * before the request leaves, statuses joining it, idempotency, and Meta's failures said plainly.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSendTestBed, GRAPH_TOKEN, type SendTestBed } from '../helpers/send-test-bed.js';
import { preferenceDelivery, statusDelivery, PNID } from '../helpers/webhook-bodies.js';
import { MOCK_ERRORS, simulate } from '../../src/testing.js';
import { TEST_SECRET } from '../helpers/start-test-wharf.js';

const ANA = '447700900123';
const text = (to: string, body: string, extra: Record<string, unknown> = {}) => ({
  phone_number_id: PNID,
  to,
  type: 'text',
  text: { body },
  ...extra,
});
const template = (to: string, name: string) => ({
  messaging_product: 'whatsapp',
  phone_number_id: PNID,
  to,
  type: 'template',
  template: { name, language: { code: 'en_US' } },
});

describe('POST /api/v1/messages', () => {
  let bed: SendTestBed;
  before(async () => {
    bed = await startSendTestBed({ WHARF_SEND_TIMEOUT_MS: 1500 });
    await bed.customerWrites(ANA, 'wamid.IN.ANA.1');
  });
  after(() => bed.stop());
  const calls = () => bed.mock.state.sends.length;

  test('a reply inside the window → 201 with the wamid Meta gave; its statuses join the record', async () => {
    const r = await bed.send(text(ANA, 'Your order shipped'));
    assert.equal(r.status, 201, r.body);
    assert.match(r.json.wamid, /^wamid\./);
    assert.match(r.json.id, /^snd_/);
    assert.equal(r.json.status, 'accepted');
    assert.equal(bed.mock.state.sends.at(-1)?.wamid, r.json.wamid);
    // Before any status: the message is known from its record.
    const early = await bed.get(`/api/v1/messages/${r.json.wamid}`);
    assert.equal(early.status, 200);
    assert.equal(early.json.direction, 'outbound');
    assert.equal(early.json.send.state, 'accepted');
    const ts = Math.floor(Date.now() / 1000);
    await bed.webhook(
      statusDelivery(
        { wamid: r.json.wamid, status: 'sent', ts },
        { wamid: r.json.wamid, status: 'delivered', ts: ts + 1 },
        { wamid: r.json.wamid, status: 'read', ts: ts + 2 },
      ),
    );
    const m = await bed.get(`/api/v1/messages/${r.json.wamid}?wait=read&timeout=10`);
    assert.equal(m.json.status, 'read');
    assert.deepEqual(
      m.json.statuses.map((s: { status: string }) => s.status),
      ['sent', 'delivered', 'read'],
    );
    assert.equal(m.json.send.id, r.json.id);
    assert.equal(m.json.fallback, null);
    const byId = await bed.get(`/api/v1/messages/${r.json.id}`);
    assert.equal(byId.json.wamid, r.json.wamid);
    assert.equal(byId.json.status, 'read');
  });

  test('wharf simulate’s sent-message-statuses sends Meta’s statuses for the wamid the mock returned: send → sent → delivered → read', async () => {
    const r = await bed.send(text(ANA, 'simulated all the way'));
    assert.equal(r.status, 201);
    const report = await simulate({
      url: `${bed.wharf.baseUrl}/webhooks/whatsapp`,
      secret: TEST_SECRET,
      scenarios: ['sent-message-statuses'],
      sent: { wamid: r.json.wamid, to: ANA, phoneNumberId: PNID },
      retry: false,
    });
    assert.equal(report.ok, true);
    const m = await bed.get(`/api/v1/messages/${r.json.id}?wait=read&timeout=10`);
    assert.equal(m.json.wamid, r.json.wamid);
    assert.deepEqual(
      m.json.statuses.map((s: { status: string }) => s.status),
      ['sent', 'delivered', 'read'],
    );
    assert.equal(m.json.send.state, 'accepted');
  });

  test('outside the window → 409 WINDOW_CLOSED in plain words, no call to Meta, wharf.send.refused', async () => {
    const before = calls();
    const r = await bed.send(text('15550009999', 'hello?'));
    assert.equal(r.status, 409);
    assert.equal(r.json.error.code, 'WINDOW_CLOSED');
    assert.match(r.json.reason, /never written to number/);
    assert.equal(calls(), before);
    const events = await bed.get('/api/v1/events?name=wharf.send.refused');
    const refused = events.json.data.find((e: { data: { to: string } }) => e.data.to === '15550009999');
    assert.equal(refused?.data.code, 'WINDOW_CLOSED');
  });

  test('?force=true skips the guard (logged); Meta answers 131047 → 502 with meta_error and the policy', async () => {
    const r = await bed.send(text('15550008888', 'forced'), { force: true });
    assert.equal(r.status, 502);
    assert.equal(r.json.error.code, 'META_ERROR');
    assert.equal(r.json.status, 'failed');
    assert.equal(r.json.forced, true);
    assert.equal(r.json.meta_error.code, 131047);
    assert.equal(r.json.meta_error.category, 'window');
    assert.equal(r.json.meta_error.action, 'send_template');
    assert.match(r.json.meta_error.fbtrace_id, /^A/);
    assert.match(r.json.meta_error.details, /24 hours/);
    const rec = await bed.get(`/api/v1/messages/${r.json.id}`);
    assert.equal(rec.json.send.state, 'failed');
    assert.equal(rec.json.wamid, null);
    assert.ok(bed.wharf.logs.some((l) => l.includes('send forced')));
  });

  test('a paused template → 409 TEMPLATE_NOT_APPROVED until a REINSTATED event arrives', async () => {
    const t0 = Math.floor(Date.now() / 1000) - 100;
    await bed.templateEvent('order_update', 'APPROVED', 'UTILITY', t0);
    await bed.templateEvent('order_update', 'PAUSED', 'UTILITY', t0 + 10);
    const before = calls();
    const paused = await bed.send(template(ANA, 'order_update'));
    assert.equal(paused.status, 409);
    assert.equal(paused.json.error.code, 'TEMPLATE_NOT_APPROVED');
    assert.match(paused.json.reason, /order_update \(en_US\) is PAUSED/);
    assert.equal(calls(), before);
    await bed.templateEvent('order_update', 'REINSTATED', 'UTILITY', t0 + 20);
    const back = await bed.send(template(ANA, 'order_update'));
    assert.equal(back.status, 201, back.body);
    assert.equal(back.json.message_status, 'accepted');
  });

  test('a marketing template to a contact who stopped marketing → 409 MARKETING_OPT_OUT; utility still goes', async () => {
    const t0 = Math.floor(Date.now() / 1000) - 50;
    await bed.templateEvent('spring_sale', 'APPROVED', 'MARKETING', t0);
    await bed.webhook(preferenceDelivery('stop', t0 + 1, ANA));
    await bed.get(`/api/v1/contacts/${ANA}`); // processed with the template event's batch or the next
    let r = await bed.send(template(ANA, 'spring_sale'));
    for (let i = 0; i < 100 && r.status === 201; i++) {
      // The preference may still be on its way through the processor: only a 201 can mean that.
      await new Promise((res) => setTimeout(res, 50));
      r = await bed.send(template(ANA, 'spring_sale'));
    }
    assert.equal(r.status, 409);
    assert.equal(r.json.error.code, 'MARKETING_OPT_OUT');
    assert.match(r.json.reason, /stopped marketing messages/);
    const utility = await bed.send(template(ANA, 'order_update'));
    assert.equal(utility.status, 201);
  });

  test('the same Idempotency-Key twice → one call to Meta, the same answer; another body with it → 422', async () => {
    const before = calls();
    const body = text(ANA, 'once only');
    const [a, b] = await Promise.all([
      bed.send(body, { key: 'order-42' }),
      bed.send(body, { key: 'order-42' }),
    ]);
    const c = await bed.send({ ...body, text: { body: 'once only' } }, { key: 'order-42' });
    assert.equal(calls(), before + 1);
    assert.equal(a.status, 201);
    assert.deepEqual(b.json, a.json);
    assert.deepEqual(c.json, a.json);
    assert.equal(c.headers['idempotent-replayed'], 'true');
    const other = await bed.send(text(ANA, 'something else'), { key: 'order-42' });
    assert.equal(other.status, 422);
    assert.equal(other.json.error.code, 'IDEMPOTENCY_KEY_REUSED');
    assert.equal(calls(), before + 1);
  });

  test('Meta answering 500 → recorded failed, the answer says so; the same key answers the same later', async () => {
    bed.mock.state.failNext({
      status: 500,
      json: {
        error: {
          message: 'An unknown error occurred',
          type: 'OAuthException',
          code: 1,
          fbtrace_id: 'AmockTrace500',
        },
      },
    });
    const r = await bed.send(text(ANA, 'meta is down'), { key: 'k-500' });
    assert.equal(r.status, 502);
    assert.equal(r.json.http_status, 500);
    assert.equal(r.json.meta_error.code, 1);
    assert.equal(r.json.meta_error.fbtrace_id, 'AmockTrace500');
    const again = await bed.send(text(ANA, 'meta is down'), { key: 'k-500' });
    assert.deepEqual(again.json, r.json);
  });

  test('Meta not answering in time → 504 SEND_OUTCOME_UNKNOWN, recorded unknown, never sent again', async () => {
    bed.mock.state.failNext({ hang: true });
    const before = bed.mock.state.calls.length;
    const r = await bed.send(text(ANA, 'hanging'), { key: 'k-hang' });
    assert.equal(r.status, 504);
    assert.equal(r.json.status, 'unknown');
    assert.match(r.json.reason, /no answer within 1500 ms/);
    const again = await bed.send(text(ANA, 'hanging'), { key: 'k-hang' });
    assert.equal(again.status, 504);
    assert.equal(bed.mock.state.calls.length, before + 1);
    const rec = await bed.get(`/api/v1/messages/${r.json.id}`);
    assert.equal(rec.json.send.state, 'unknown');
  });

  test('Meta’s throughput refusal (130429) is waited out and tried again: Meta did not send it', async () => {
    bed.mock.state.failNext({ error: MOCK_ERRORS.rateLimited });
    const before = bed.mock.state.calls.length;
    const r = await bed.send(text(ANA, 'after a pause'));
    assert.equal(r.status, 201, r.body);
    assert.equal(bed.mock.state.calls.length, before + 2);
  });

  test('invalid bodies → 422 naming the field; nothing recorded or sent', async () => {
    const before = bed.mock.state.calls.length;
    const cases: Array<[unknown, string]> = [
      [{ to: ANA, type: 'text', text: { body: 'x' } }, 'phone_number_id'],
      [{ phone_number_id: PNID, type: 'text', text: { body: 'x' } }, 'to'],
      [{ phone_number_id: PNID, to: 'abc', type: 'text', text: { body: 'x' } }, 'to'],
      [{ phone_number_id: PNID, to: ANA, type: 'text', text: {} }, 'text.body'],
      [{ phone_number_id: PNID, to: ANA, type: 'fax' }, 'type'],
      [
        { phone_number_id: PNID, to: ANA, type: 'template', template: { name: 't' } },
        'template.language.code',
      ],
      [{ phone_number_id: PNID, to: ANA, type: 'image', image: {} }, 'image.id'],
      [{ ...text(ANA, 'x'), sms_fallback_text: '' }, 'sms_fallback_text'],
      ['{not json', 'body'],
    ];
    for (const [body, field] of cases) {
      const r = await bed.send(body);
      assert.equal(r.status, 422, JSON.stringify(body));
      assert.equal(r.json.error.code, 'SEND_INVALID');
      assert.equal(r.json.field, field, JSON.stringify(body));
      assert.ok(r.json.error.message.includes(field));
    }
    assert.equal(bed.mock.state.calls.length, before);
  });

  test('logs carry wamid and fbtrace_id of each send, never the access token', async () => {
    const r = await bed.send(text(ANA, 'logged'));
    const line = bed.wharf.logs.find((l) => l.includes(r.json.wamid));
    assert.ok(line);
    assert.match(line, /"fbtrace_id":"A/);
    assert.equal(
      bed.wharf.logs.some((l) => l.includes(GRAPH_TOKEN)),
      false,
    );
  });
});

describe('POST /api/v1/messages: the per-number queue', () => {
  let bed: SendTestBed;
  before(async () => {
    bed = await startSendTestBed({ WHARF_SEND_RATE_PER_NUMBER: 1, WHARF_SEND_QUEUE_PER_NUMBER: 2 });
    await bed.customerWrites(ANA, 'wamid.IN.ANA.Q');
  });
  after(() => bed.stop());

  test('one leaves at once, two wait their turn, the next gets 429 SEND_RATE_LIMITED with Retry-After', async () => {
    const answers = await Promise.all([1, 2, 3, 4].map((i) => bed.send(text(ANA, `burst ${i}`))));
    const codes = answers.map((a) => a.status).sort();
    assert.deepEqual(codes, [201, 201, 201, 429]);
    const limited = answers.find((a) => a.status === 429);
    assert.equal(limited?.json.error.code, 'SEND_RATE_LIMITED');
    assert.ok(Number(limited?.headers['retry-after']) >= 1);
    assert.equal(bed.mock.state.sends.length, 3);
  });
});

describe('POST /api/v1/messages without WHATSAPP_ACCESS_TOKEN', () => {
  test('answers 503 SEND_NOT_CONFIGURED', async () => {
    const bed = await startSendTestBed({ WHATSAPP_ACCESS_TOKEN: '' });
    try {
      const r = await bed.send(text(ANA, 'x'));
      assert.equal(r.status, 503);
      assert.equal(r.json.error.code, 'SEND_NOT_CONFIGURED');
    } finally {
      await bed.stop();
    }
  });
});
