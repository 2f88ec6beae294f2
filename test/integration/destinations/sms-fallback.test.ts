/**
 * SMS fallback (docs/actions.md, kind `sms`, provider `twilio`) against a local server speaking
 * Twilio's Messages API: a failure whose error policy says `fallback` becomes exactly one SMS, ever;
 * other failures send none; contacts without a phone number or who opted out are skipped with the
 * reason; a failing provider is retried without a second SMS.
 */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { destinationTestBed } from '../../helpers/destination-test-bed.js';
import { startTwilioMock, TWILIO_SID, TWILIO_TOKEN, type TwilioMock } from '../../helpers/twilio-mock.js';
import { fixtureBytes } from '../../helpers/fixtures.js';
import { waitFor } from '../../helpers/wait-for.js';
import type { DestinationWharf } from '../../helpers/start-destination-wharf.js';

const fixture = (path: string) => fixtureBytes(path).toString('utf8');
const FAILED = fixture('messages/status-failed.json');
const TEXT = 'We could not reach you on WhatsApp (message {{wamid}}, error {{error_code}}).';

type Json = Record<string, unknown>;

async function fallbackOf(w: DestinationWharf, wamid: string): Promise<Json | null> {
  const a = await w.api('GET', `/api/v1/messages/${wamid}`);
  return a.status === 200 ? ((a.json['fallback'] as Json | null) ?? null) : null;
}

async function attempts(w: DestinationWharf, id: string): Promise<Json[]> {
  return (await w.api('GET', `/api/v1/destinations/${id}/attempts`)).json['data'] as Json[];
}

describe('SMS fallback through Twilio', () => {
  const bed = destinationTestBed();
  let twilio: TwilioMock;
  beforeEach(async () => {
    twilio = await startTwilioMock();
  });
  afterEach(() => twilio.close());

  const sms = (over: Json = {}) =>
    bed.create({
      name: 'sms-fallback',
      kind: 'sms',
      provider: 'twilio',
      account_sid: TWILIO_SID,
      auth_token: TWILIO_TOKEN,
      from: '+15550001111',
      base_url: twilio.url,
      text: TEXT,
      ...over,
    });

  test('error 131026 sends exactly one SMS, to the recipient’s number, with the text; the message shows it', async () => {
    const w = await bed.wharf();
    const d = await sms();
    assert.deepEqual(d['filter'], { events: ['status.failed'], error_actions: ['fallback'] });
    assert.equal((await w.deliver(FAILED)).status, 200);
    await waitFor('the SMS', () => twilio.messages.length === 1, 10_000);
    const m = twilio.messages[0]!;
    assert.deepEqual(
      [m.to, m.from, m.body],
      [
        '+447700900123',
        '+15550001111',
        'We could not reach you on WhatsApp (message wamid.EXAMPLEOUT2, error 131026).',
      ],
    );
    await waitFor(
      'fallback sent',
      async () => (await fallbackOf(w, 'wamid.EXAMPLEOUT2'))?.['state'] === 'sent',
    );
    const f = (await fallbackOf(w, 'wamid.EXAMPLEOUT2'))!;
    assert.deepEqual(
      [f['channel'], f['to'], f['provider_id'], f['reason']],
      ['sms', '+447700900123', m.sid, null],
    );
    assert.match(String(f['at']), /^\d{4}-\d\d-\d\dT/);
  });

  test('the same failure delivered three times, sent again later and replayed twice: still one SMS', async () => {
    const w = await bed.wharf();
    const d = await sms();
    for (let i = 0; i < 3; i++) assert.equal((await w.deliver(FAILED)).status, 200);
    // Meta sending the failure again later (another timestamp) is the same event (key: wamid + status).
    assert.equal((await w.deliver(FAILED.replace('"1767225620"', '"1767225680"'))).status, 200);
    await waitFor('the SMS', () => twilio.messages.length === 1, 10_000);
    await waitFor('the failure tried', async () => (await attempts(w, d.id)).length === 1, 10_000);
    for (let n = 2; n <= 3; n++) {
      const replay = await w.api('POST', `/api/v1/destinations/${d.id}/replay`, {
        from: '2025-01-01T00:00:00Z',
        to: '2030-01-01T00:00:00Z',
      });
      assert.equal(replay.status, 202, replay.body);
      await waitFor(`replay ${n - 1} tried`, async () => (await attempts(w, d.id)).length === n, 10_000);
    }
    assert.equal(twilio.messages.length, 1);
    const excerpts = (await attempts(w, d.id)).map((a) => String(a['response_excerpt'] ?? ''));
    assert.equal(
      excerpts.filter((e) => /^not sent again: the SMS for wamid\.EXAMPLEOUT2 went out/.test(e)).length,
      2,
      excerpts.join('\n'),
    );
  });

  test('131049 and 131047 failures send no SMS: the error policy says dont_retry and send_template, not fallback', async () => {
    const w = await bed.wharf();
    const d = await sms();
    await w.deliver(fixture('messages/status-failed-131049.json'));
    await w.deliver(fixture('messages/status-failed-131047.json'));
    // A 131026 after them: once its SMS is out, the two before it were processed.
    await w.deliver(FAILED);
    await waitFor('the 131026 SMS', () => twilio.messages.length === 1, 10_000);
    assert.equal(
      twilio.messages[0]!.body,
      'We could not reach you on WhatsApp (message wamid.EXAMPLEOUT2, error 131026).',
    );
    await waitFor('the 131026 attempt logged', async () => (await attempts(w, d.id)).length === 1);
    const tried = await attempts(w, d.id);
    assert.equal(tried.length, 1, 'no hand-off at all for the other two');
    assert.equal(tried[0]!['event_name'], 'status.failed');
    assert.equal(await fallbackOf(w, 'wamid.EXAMPLEOUT12'), null);
    assert.equal(await fallbackOf(w, 'wamid.EXAMPLEOUT13'), null);
  });

  test('a contact known only by a BSUID gets no SMS: skipped, the reason recorded', async () => {
    const w = await bed.wharf();
    await sms();
    await w.deliver(fixture('messages/status-failed-bsuid-only.json'));
    await waitFor(
      'skipped',
      async () => (await fallbackOf(w, 'wamid.EXAMPLEOUT11'))?.['state'] === 'skipped',
    );
    const f = (await fallbackOf(w, 'wamid.EXAMPLEOUT11'))!;
    assert.equal(f['to'], null);
    assert.match(
      String(f['reason']),
      /no phone number: the contact is known only by a business-scoped user id \(BSUID\)/,
    );
    assert.equal(twilio.messages.length, 0);
  });

  test('a contact who opted out (user_preferences stop) gets no SMS: skipped, the reason recorded', async () => {
    const w = await bed.wharf();
    await sms();
    await w.deliver(fixture('user_preferences/stop.json'));
    await w.deliver(FAILED);
    await waitFor('skipped', async () => (await fallbackOf(w, 'wamid.EXAMPLEOUT2'))?.['state'] === 'skipped');
    const f = (await fallbackOf(w, 'wamid.EXAMPLEOUT2'))!;
    assert.equal(f['to'], '+447700900123');
    assert.match(
      String(f['reason']),
      /^the contact opted out \(a user_preferences stop, 2026-01-01T00:00:00\.000Z\)/,
    );
    assert.equal(twilio.messages.length, 0);
  });

  test('the provider failing, then recovering: retried until it takes it, and still one SMS', async () => {
    const w = await bed.wharf();
    const d = await sms();
    twilio.failNext(2, 503);
    await w.deliver(FAILED);
    await waitFor('the SMS', () => twilio.messages.length === 1, 10_000);
    assert.deepEqual(
      twilio.requests.map((r) => r.status),
      [503, 503, 201],
    );
    await waitFor('three attempts logged', async () => (await attempts(w, d.id)).length === 3);
    const log = (await attempts(w, d.id)).reverse();
    assert.deepEqual(
      log.map((a) => a['error']),
      [
        'Twilio answered 503: error 20500: Internal Server Error (https://www.twilio.com/docs/errors/20500)',
        'Twilio answered 503: error 20500: Internal Server Error (https://www.twilio.com/docs/errors/20500)',
        null,
      ],
    );
    await waitFor(
      'fallback sent',
      async () => (await fallbackOf(w, 'wamid.EXAMPLEOUT2'))?.['state'] === 'sent',
    );
  });

  test('a number Twilio refuses for good is not tried again, and the attempt says why in Twilio’s words', async () => {
    const w = await bed.wharf();
    const d = await sms({ from: undefined, messaging_service_sid: 'MG00000000000000000000000000000001' });
    await w.deliver(FAILED.replace(/447700900123/g, '12'));
    await waitFor('failed', async () => (await fallbackOf(w, 'wamid.EXAMPLEOUT2'))?.['state'] === 'failed');
    const f = (await fallbackOf(w, 'wamid.EXAMPLEOUT2'))!;
    assert.match(
      String(f['reason']),
      /Twilio answered 400: error 21211: The 'To' number \+12 is not a valid phone number\./,
    );
    await waitFor('the attempt logged', async () => (await attempts(w, d.id)).length >= 1);
    const first = (await attempts(w, d.id)).at(-1)!;
    assert.match(String(first['error']), /error 21211/);
    assert.equal(twilio.messages.length, 0);
    assert.equal(twilio.requests.length, 1, 'Twilio was asked once');
  });

  test('settings that cannot work are refused with the field named', async () => {
    const w = await bed.wharf();
    const base = {
      name: 'bad',
      kind: 'sms',
      provider: 'twilio',
      account_sid: TWILIO_SID,
      auth_token: TWILIO_TOKEN,
      from: '+15550001111',
      base_url: twilio.url,
    };
    const cases: Array<[Json, string, RegExp]> = [
      [{ ...base, provider: undefined }, 'provider', /is required \(twilio or http\)/],
      [{ ...base, provider: 'nexmo' }, 'provider', /must be twilio or http/],
      [
        { ...base, messaging_service_sid: 'MG00000000000000000000000000000001' },
        'from',
        /exactly one of from and messaging_service_sid/,
      ],
      [{ ...base, text: 'Hi {{first_name}}' }, 'text', /unknown placeholder \{\{first_name\}\}/],
      [{ ...base, account_sid: 'nope' }, 'account_sid', /Account SID/],
      [{ ...base, undelivered_after_seconds: 2 }, 'undelivered_after_seconds', /at least 10 seconds/],
    ];
    for (const [body, field, message] of cases) {
      const a = await w.api('POST', '/api/v1/destinations', body);
      assert.equal(a.status, 422, `${field}: ${a.body}`);
      assert.match(a.body, new RegExp(field));
      assert.match(a.body, message);
    }
  });
});
