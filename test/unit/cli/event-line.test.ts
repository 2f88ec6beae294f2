import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { contactOf, eventLine, summaryOf } from '../../../src/cli/listen/event-line.js';

const NOW = Date.parse('2026-03-01T09:30:15Z');

describe('wharf listen: one line per event', () => {
  test('a text message: time, name, contact, the text on one line, the answer and its latency', () => {
    const line = eventLine(
      {
        name: 'message.text',
        occurred_at: '2026-03-01T09:30:00.000Z',
        contact: { wa_id: '447700900123' },
        data: { body: 'line one\nline two' },
      },
      { status: 204, ms: 12.4 },
      NOW,
    );
    assert.match(line, /^09:30:00 {2}message\.text +\+447700900123 +line one\\nline two +--> \[204\] 12 ms$/);
  });

  test('a long text is cut to its column with an ellipsis', () => {
    const line = eventLine(
      { name: 'message.text', data: { body: 'x'.repeat(100) } },
      { status: 200, ms: 1 },
      NOW,
    );
    assert.match(line, / x{39}… +--> /);
  });

  test('statuses say the status and their first error; without errors the status alone', () => {
    assert.equal(summaryOf({ name: 'status.read', data: { status: 'read', errors: [] } }), 'read');
    assert.equal(
      summaryOf({
        name: 'status.failed',
        data: { status: 'failed', errors: [{ code: 131026, title: 'Message undeliverable' }] },
      }),
      'failed: 131026 Message undeliverable',
    );
  });

  test('media shows its caption, else its type; interactive replies their title', () => {
    assert.equal(summaryOf({ name: 'message.image', data: { media: { caption: 'invoice' } } }), 'invoice');
    assert.equal(
      summaryOf({ name: 'message.document', data: { media: { mime_type: 'application/pdf' } } }),
      'application/pdf',
    );
    assert.equal(
      summaryOf({ name: 'message.document', data: { media: { mimeType: 'image/png' } } }),
      'image/png',
    );
    assert.equal(summaryOf({ name: 'message.interactive', data: { title: 'Yes' } }), 'Yes');
    assert.equal(summaryOf({ name: 'template.status', data: { event: 'APPROVED' } }), '');
  });

  test('the contact is the phone, else the business-scoped user id, else the username, else -', () => {
    assert.equal(contactOf({ contact: { wa_id: '34600111222' } }), '+34600111222');
    assert.equal(
      contactOf({ contact: { wa_id: null, user_id: 'US.13491208655302741918' } }),
      'US.13491208655302741918',
    );
    assert.equal(contactOf({ contact: { username: 'ana' } }), 'ana');
    assert.equal(contactOf({ data: { recipient_id: '15550001111' } }), '+15550001111');
    assert.equal(contactOf({}), '-');
  });

  test('a receiver that failed is shown with the reason; an event without a time uses now', () => {
    const line = eventLine(
      { name: 'account.update' },
      { error: 'nothing is listening at http://127.0.0.1:3000/', ms: 2 },
      NOW,
    );
    assert.match(
      line,
      /^09:30:15 {2}account\.update +- +--> \[error\] nothing is listening at http:\/\/127\.0\.0\.1:3000\/ \(2 ms\)$/,
    );
  });
});
