/**
 * `undelivered_after_seconds` (docs/actions.md): an OTP sent through Wharf (POST /api/v1/messages,
 * against the local Graph API mock) whose `delivered` never comes gets its `sms_fallback_text` by SMS
 * once the timer runs out; one whose `delivered` arrives first gets none (the fallback reads
 * `cancelled`). The clock is moved by hand: nothing here waits 30 real seconds.
 */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { destinationTestBed } from '../../helpers/destination-test-bed.js';
import { startTwilioMock, TWILIO_SID, TWILIO_TOKEN, type TwilioMock } from '../../helpers/twilio-mock.js';
import { statusDelivery, PNID } from '../../helpers/webhook-bodies.js';
import { waitFor } from '../../helpers/wait-for.js';
import { startGraphMock, type GraphMock } from '../../../src/testing.js';
import type { DestinationWharf } from '../../helpers/start-destination-wharf.js';

const TOKEN = 'graph-token-actions-0001';
const ANA = '447700900123';

describe('SMS when an OTP is not delivered in time', () => {
  const bed = destinationTestBed();
  let twilio: TwilioMock;
  let graph: GraphMock;
  let offset = 0;
  const clock = () => Date.now() + offset;
  beforeEach(async () => {
    offset = 0;
    twilio = await startTwilioMock();
    graph = await startGraphMock({ accessToken: TOKEN, throughputPerNumber: 1000, now: clock });
  });
  afterEach(async () => {
    await twilio.close();
    await graph.close();
  });

  async function start(): Promise<DestinationWharf> {
    const w = await bed.wharf({ WHATSAPP_ACCESS_TOKEN: TOKEN, WHATSAPP_GRAPH_URL: graph.url }, { clock });
    const d = await bed.create({
      name: 'otp-sms',
      kind: 'sms',
      provider: 'twilio',
      account_sid: TWILIO_SID,
      auth_token: TWILIO_TOKEN,
      from: '+15550001111',
      base_url: twilio.url,
      undelivered_after_seconds: 30,
    });
    assert.equal(d['undelivered_after_seconds'], 30);
    return w;
  }

  /** Sends an OTP through Wharf (a template needs no open window) and reports Meta's `sent`. */
  async function sendOtp(w: DestinationWharf, code: string): Promise<string> {
    const r = await w.api('POST', '/api/v1/messages', {
      phone_number_id: PNID,
      to: ANA,
      type: 'template',
      template: { name: 'otp_code', language: { code: 'en_US' } },
      sms_fallback_text: `Your code is ${code}`,
    });
    assert.equal(r.status, 201, r.body);
    const wamid = String(r.json['wamid']);
    const ts = Math.floor(clock() / 1000);
    assert.equal((await w.deliver(statusDelivery({ wamid, status: 'sent', ts }))).status, 200);
    return wamid;
  }

  const fallback = async (w: DestinationWharf, wamid: string) =>
    (await w.api('GET', `/api/v1/messages/${wamid}`)).json['fallback'] as Record<string, unknown> | null;

  test('no delivered within the time: the send’s sms_fallback_text goes by SMS, once', async () => {
    const w = await start();
    const wamid = await sendOtp(w, '482913');
    // Processed and held: nothing is sent before the timer runs out.
    await waitFor(
      'the sent status recorded',
      async () => (await w.api('GET', `/api/v1/messages/${wamid}`)).json['status'] === 'sent',
    );
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(twilio.messages.length, 0);
    offset += 31_000;
    await waitFor('the SMS', () => twilio.messages.length === 1, 10_000);
    assert.deepEqual([twilio.messages[0]!.to, twilio.messages[0]!.body], [`+${ANA}`, 'Your code is 482913']);
    await waitFor('fallback sent', async () => (await fallback(w, wamid))?.['state'] === 'sent');
    assert.equal(
      (await fallback(w, wamid))?.['reason'],
      'not delivered within 30 s (undelivered_after_seconds)',
    );
    // A failure arriving after the SMS: still one SMS.
    const ts = Math.floor(clock() / 1000);
    await w.deliver(statusDelivery({ wamid, status: 'failed', ts, errorCode: 131026 }));
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(twilio.messages.length, 1);
  });

  test('delivered before the time runs out: no SMS, the fallback reads cancelled', async () => {
    const w = await start();
    const wamid = await sendOtp(w, '111222');
    const ts = Math.floor(clock() / 1000);
    await w.deliver(statusDelivery({ wamid, status: 'delivered', ts: ts + 2 }));
    await waitFor(
      'delivered recorded',
      async () => (await w.api('GET', `/api/v1/messages/${wamid}`)).json['status'] === 'delivered',
    );
    offset += 31_000;
    await waitFor(
      'the timer ran out',
      async () => (await fallback(w, wamid))?.['state'] === 'cancelled',
      10_000,
    );
    assert.equal(
      (await fallback(w, wamid))?.['reason'],
      'delivered before undelivered_after_seconds (30 s) ran out',
    );
    assert.equal(twilio.messages.length, 0);
  });
});
