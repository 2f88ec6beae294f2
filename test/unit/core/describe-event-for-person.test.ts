import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEventForPerson } from '../../../src/core/describe-event-for-person.js';
import type { AnyWharfEvent } from '../../../src/events/wharf-event.js';
import { eventsOf } from '../../helpers/fixtures.js';

const first = (fixture: string) => eventsOf(fixture)[0] as AnyWharfEvent;

describe('describeEventForPerson', () => {
  test('an inbound text says who wrote and what, and on which business number', () => {
    const d = describeEventForPerson(first('messages/text.json'));
    assert.equal(d.title, 'New WhatsApp text message from Ana Ruiz (+447700900123)');
    assert.deepEqual(d.lines, [
      '“Do you deliver on Sundays?”',
      'Business number: 15551230000 (phone_number_id 900000000000001)',
    ]);
    assert.equal(d.text, [d.title, ...d.lines].join('\n'));
  });

  test('a media message shows its caption', () => {
    const d = describeEventForPerson(first('messages/image.json'));
    assert.match(d.title, /^New WhatsApp image message from Ana Ruiz/);
    assert.equal(d.lines[0], '“My receipt”');
  });

  test('a contact known only by BSUID and username is named by the username', () => {
    assert.equal(
      describeEventForPerson(first('messages/bsuid-only.json')).title,
      'New WhatsApp text message from Ana (@anaruiz)',
    );
  });

  test('a failed status names the recipient, the message, the error and what the error policy says to do', () => {
    const d = describeEventForPerson(first('messages/status-failed.json'));
    assert.equal(d.title, 'Message to +447700900123 failed');
    assert.ok(d.lines.includes('Message wamid.EXAMPLEOUT2'));
    const err = d.lines.find((l) => l.startsWith('Error 131026'));
    assert.ok(err, d.text);
    assert.match(err, /Message undeliverable/);
    assert.match(err, /What to do: reach the person another way \(SMS, e-mail\)\./);
  });

  test('a read status is one short line about the message', () => {
    const d = describeEventForPerson(first('messages/status-read.json'));
    assert.equal(d.title, 'Message to Ana Ruiz (+447700900123) read');
    assert.ok(!d.lines.some((l) => l.startsWith('Error')));
  });

  test('a paused template says which one, why it matters and what to do', () => {
    const d = describeEventForPerson(first('message_template_status_update/paused.json'));
    assert.equal(d.title, 'Template spring_sale (en_US) is now PAUSED');
    assert.ok(
      d.lines.some((l) => /What to do: Switch your sends to another approved template now/.test(l)),
      d.text,
    );
    assert.ok(!d.lines.includes('Reason: NONE'));
  });

  test('a template quality change shows before and after', () => {
    assert.equal(
      describeEventForPerson(first('message_template_quality_update/yellow.json')).title,
      'Template spring_sale (en_US) quality GREEN → YELLOW',
    );
  });

  test('a phone number downgrade shows the messaging limit before and after', () => {
    const d = describeEventForPerson(first('phone_number_quality_update/legacy-downgrade.json'));
    assert.equal(d.title, 'Messaging limit of +15551230000 lowered');
    assert.deepEqual(d.lines.slice(0, 2), ['Number: +15551230000', 'Messaging limit: TIER_10K → TIER_1K']);
  });

  test('a throughput upgrade is described plainly (no alert)', () => {
    const d = describeEventForPerson(first('phone_number_quality_update/throughput-upgrade.json'));
    assert.match(d.title, /quality: THROUGHPUT_UPGRADE$/);
  });

  test('account violations and restrictions are spelled out', () => {
    assert.ok(
      describeEventForPerson(first('account_update/violation.json')).title ===
        'WhatsApp policy violation: ADULT',
    );
    assert.ok(
      describeEventForPerson(first('account_update/restriction.json')).lines.includes(
        'Restricted: you cannot start conversations: business-initiated messages (templates included) are refused — until 2026-01-08 00:00 UTC',
      ),
    );
  });

  test('any other event still gets a title with its name', () => {
    const e = first('unknown/tracking-events.json');
    assert.match(
      describeEventForPerson(e).title,
      new RegExp(`^WhatsApp event ${e.name.replace('.', '\\.')}`),
    );
  });
});
