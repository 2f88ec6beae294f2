import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  conversationSummary,
  describeMessage,
  formatTime,
  quote,
  QUOTE_MAX,
} from '../../../src/core/conversation-summary.js';
import type { ConversationMessage, ConversationView } from '../../../src/ports/conversation-store.js';

const T0 = Date.UTC(2026, 0, 1, 9, 0);
const HOUR = 3_600_000;

const msg = (m: Partial<ConversationMessage>): ConversationMessage => ({
  wamid: 'wamid.X',
  direction: 'inbound',
  type: 'text',
  text: null,
  mediaId: null,
  mediaStored: false,
  status: null,
  failed: false,
  errors: [],
  at: T0,
  ...m,
});

const view = (v: Partial<ConversationView> = {}): ConversationView => ({
  contactKey: 'GB.1',
  phoneNumberId: '900',
  contact: { waId: '447700900123', userId: 'GB.1', username: null, name: 'Ana Ruiz' },
  firstAt: T0,
  lastActivityAt: T0 + 2 * HOUR,
  lastInboundAt: T0 + HOUR,
  inboundCount: 3,
  outboundCount: 2,
  lastUserMessage: msg({ text: 'Where is my order?', at: T0 + HOUR }),
  lastBusinessMessage: msg({ direction: 'outbound', type: 'template', status: 'read', at: T0 + 2 * HOUR }),
  latestMedia: null,
  recentMessages: [],
  note: null,
  automationNotes: null,
  labels: [],
  ...v,
});

describe('conversation summary', () => {
  test('names who, how many messages over what time, the last words, the window and the business reply', () => {
    const text = conversationSummary(view(), T0 + 3 * HOUR);
    assert.equal(
      text,
      'Ana Ruiz (+447700900123): 5 messages (3 from them, 2 from the business) between 2026-01-01 09:00 UTC and 2026-01-01 11:00 UTC. ' +
        'Last from them (2026-01-01 10:00 UTC): they said "Where is my order?". ' +
        'The 24-hour window is open until 2026-01-02 10:00 UTC. ' +
        'The business last sent a template on 2026-01-01 11:00 UTC; it was read.',
    );
  });

  test('a closed window says only a template can be sent, and when it closed', () => {
    const text = conversationSummary(view(), T0 + 30 * HOUR);
    assert.match(text, /window closed at 2026-01-02 10:00 UTC; only an approved template can be sent now/);
  });

  test('a failed business message gives its code, title and the error policy meaning and action', () => {
    const failed = msg({
      direction: 'outbound',
      type: 'text',
      text: 'Your parcel left',
      failed: true,
      status: 'failed',
      errors: [{ code: 131026, title: 'Message undeliverable' }],
    });
    const text = conversationSummary(view({ lastBusinessMessage: failed }), T0);
    assert.match(
      text,
      /The business last said "Your parcel left" on .*; it failed with error 131026 Message undeliverable: /,
    );
    assert.match(text, /Message undeliverable \(not on WhatsApp.*\(recipient; recommended: fallback\)\./);
  });

  test('no business message, no inbound message, no name: still one plain paragraph', () => {
    const text = conversationSummary(
      view({
        contact: { waId: null, userId: 'US.9', username: null, name: null },
        lastUserMessage: null,
        lastBusinessMessage: null,
        lastInboundAt: null,
        inboundCount: 0,
        outboundCount: 1,
        firstAt: T0,
        lastActivityAt: T0,
      }),
      T0,
    );
    assert.equal(
      text,
      'user US.9: 1 message (0 from them, 1 from the business) on 2026-01-01 09:00 UTC. ' +
        'They have not written yet, so only an approved template can be sent. The business has not written to them.',
    );
  });

  test('an outbound message known only by its statuses says whether anything arrived', () => {
    const bare = msg({ direction: 'outbound', type: null, text: null, status: 'delivered' });
    assert.match(
      conversationSummary(view({ lastBusinessMessage: bare }), T0),
      /last sent a message on .*; it was delivered\./,
    );
  });
});

describe('messages described in words', () => {
  for (const [type, text, expected] of [
    ['image', null, 'sent a photo'],
    ['image', 'the receipt', 'sent a photo ("the receipt")'],
    ['video', null, 'sent a video'],
    ['audio', null, 'sent an audio message'],
    ['document', 'invoice.pdf', 'sent a document ("invoice.pdf")'],
    ['sticker', null, 'sent a sticker'],
    ['location', 'Main St 1', 'shared a location (Main St 1)'],
    ['location', null, 'shared a location'],
    ['button', 'Confirm order', "tapped 'Confirm order'"],
    ['button_reply', 'Yes', "tapped 'Yes'"],
    ['list_reply', 'Blue', "tapped 'Blue'"],
    ['contacts', null, 'shared a contact card'],
    ['reaction', '👍', 'reacted 👍'],
    ['order', null, 'placed an order'],
    ['nfm_reply', null, 'submitted a form'],
    ['text', 'hi', 'said "hi"'],
    ['unsupported', null, 'sent a message'],
  ] as const)
    test(`${type}${text ? ` with "${text}"` : ''} → ${expected}`, () => {
      assert.equal(describeMessage({ type, text }), expected);
    });

  test(`quotes are flattened and shortened to ${QUOTE_MAX} characters with an ellipsis`, () => {
    const q = quote(`line one\nline two ${'x'.repeat(200)}`);
    assert.equal(q.length, QUOTE_MAX + 2);
    assert.ok(q.startsWith('"line one line two x'));
    assert.ok(q.endsWith('…"'));
  });

  test('times are written in UTC to the minute', () => {
    assert.equal(formatTime(Date.UTC(2026, 5, 30, 23, 59, 59)), '2026-06-30 23:59 UTC');
  });
});
