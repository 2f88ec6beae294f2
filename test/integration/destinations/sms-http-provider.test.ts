/**
 * SMS provider `http` (docs/actions.md) against a local receiver: the JSON body template with the
 * number, text and wamid put into its strings (a quote in the text cannot change the body's shape),
 * the provider's id read from the answer, 400 refused for good, 503 worth retrying.
 */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startReceiver, type Receiver } from '../../helpers/destination-receiver.js';
import { createHttpSmsProvider } from '../../../src/adapters/destinations/sms-http.js';

const never = new AbortController().signal;
const sms = { to: '+447700900123', text: 'Your code is "482913"', wamid: 'wamid.X1' };

describe('http SMS provider', () => {
  let rx: Receiver | undefined;
  afterEach(async () => {
    await rx?.close();
    rx = undefined;
  });

  const provider = (url: string, providerIdField?: string) =>
    createHttpSmsProvider({
      url,
      headers: { Authorization: 'Bearer provider-token-123' },
      body: { channel: 'sms', to: '{{to}}', text: '{{text}}', meta: { ref: 'wa {{wamid}}' } },
      ...(providerIdField ? { providerIdField } : {}),
      timeoutMs: 5000,
      maxInFlight: 1,
      allowPrivate: true,
      userAgent: 'Wharf/test',
    });

  test('the body template is filled in and the provider id read from messages[0]', async () => {
    rx = await startReceiver(() => ({
      status: 200,
      body: JSON.stringify({ messages: [{ id: 'prov-77' }] }),
    }));
    const p = provider(rx.url);
    const r = await p.send(sms, never);
    await p.close();
    assert.deepEqual(r.outcome, { kind: 'accepted', providerId: 'prov-77' });
    assert.deepEqual(rx.received[0]!.json, {
      channel: 'sms',
      to: '+447700900123',
      text: 'Your code is "482913"',
      meta: { ref: 'wa wamid.X1' },
    });
    assert.equal(rx.received[0]!.headers['authorization'], 'Bearer provider-token-123');
    assert.equal(rx.received[0]!.headers['content-type'], 'application/json');
  });

  test('provider_id_field names the id; 400 is final, 503 is retried', async () => {
    const answers = [
      { status: 202, body: JSON.stringify({ message_uuid: 'u-1' }) },
      { status: 400, body: '{"title":"Invalid number"}' },
      { status: 503, body: 'busy' },
    ];
    rx = await startReceiver((_r, n) => answers[n - 1]!);
    const p = provider(rx.url, 'message_uuid');
    assert.deepEqual((await p.send(sms, never)).outcome, { kind: 'accepted', providerId: 'u-1' });
    const refused = await p.send(sms, never);
    assert.deepEqual(refused.outcome, { kind: 'refused', retry: false });
    assert.equal(refused.error, 'the SMS provider answered 400');
    assert.equal(refused.responseExcerpt, '{"title":"Invalid number"}');
    assert.deepEqual((await p.send(sms, never)).outcome, { kind: 'refused', retry: true });
    await p.close();
  });

  test('nothing listening: refused before anything left, worth retrying', async () => {
    const p = provider('http://127.0.0.1:1/sms');
    const r = await p.send(sms, never);
    await p.close();
    assert.deepEqual(r.outcome, { kind: 'refused', retry: true });
    assert.match(r.error ?? '', /connection refused/);
  });
});
