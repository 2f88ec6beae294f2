import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createEmailTransport } from '../../../src/adapters/destinations/email.js';
import { outboundMessage } from '../../helpers/outbound-message.js';
import { startSmtpReceiver, type SmtpReceiver } from '../../helpers/email-transport-fixture.js';

const never = new AbortController().signal;

describe('email destination (SMTP)', () => {
  let rx: SmtpReceiver;
  before(async () => {
    rx = await startSmtpReceiver();
  });
  after(() => rx.close());

  test('a failed status arrives as a readable mail with the error, what to do, and the JSON attached', async () => {
    const t = createEmailTransport({
      url: rx.url,
      to: ['ops@example.com', 'oncall@example.com'],
      from: 'wharf@example.com',
      timeoutMs: 5000,
      maxInFlight: 1,
    });
    const m = outboundMessage('messages/status-failed.json');
    const r = await t.send(m, never);
    await t.close();
    assert.equal(r.ok, true, r.error ?? '');
    assert.match(r.responseExcerpt ?? '', /^250/);
    const mail = rx.mails.at(-1)!;
    assert.equal(mail.subject, 'Message to +447700900123 failed');
    assert.deepEqual(
      [mail.from?.text, Array.isArray(mail.to) ? mail.to.map((a) => a.text) : mail.to?.text],
      ['wharf@example.com', 'ops@example.com, oncall@example.com'],
    );
    assert.match(mail.text ?? '', /Error 131026/);
    assert.match(mail.text ?? '', /What to do: reach the person another way/);
    assert.match(mail.text ?? '', /The event as JSON is attached \(status\.failed\.json\)/);
    assert.equal(mail.attachments.length, 1);
    assert.equal(mail.attachments[0]!.filename, 'status.failed.json');
    assert.equal(mail.attachments[0]!.contentType, 'application/json');
    assert.equal(mail.attachments[0]!.content.toString('utf8'), m.body);
  });

  test('the subject template puts in the event name and phone number id', async () => {
    const t = createEmailTransport({
      url: rx.url,
      to: 'ops@example.com',
      from: 'wharf@example.com',
      subject: 'WhatsApp {name} on {phone_number_id}',
      timeoutMs: 5000,
      maxInFlight: 1,
    });
    assert.equal((await t.send(outboundMessage('messages/text.json'), never)).ok, true);
    await t.close();
    assert.equal(rx.mails.at(-1)!.subject, 'WhatsApp message.text on 900000000000001');
  });

  test('a server that cannot be reached is a failure in plain words', async () => {
    const t = createEmailTransport({
      url: 'smtp://127.0.0.1:1',
      to: 'ops@example.com',
      from: 'wharf@example.com',
      timeoutMs: 2000,
      maxInFlight: 1,
    });
    const r = await t.send(outboundMessage(), never);
    await t.close();
    assert.equal(r.ok, false);
    assert.match(r.error ?? '', /connection refused/);
  });
});
