import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDelivery } from '../../src/core/parse-delivery.js';
import { normalizeDelivery } from '../../src/core/normalize-delivery.js';
import { deriveStateChanges } from '../../src/core/derive-state-changes.js';
import { contactKey } from '../../src/core/derive-contact-changes.js';
import { isWindowOpen, windowOpenUntil, SERVICE_WINDOW_MS } from '../../src/core/service-window.js';
import { rankOf, type StateChange } from '../../src/core/state-change.js';
import { statusDelivery, textDelivery, templateStatusDelivery } from '../helpers/webhook-bodies.js';
import { eventsOf } from '../helpers/fixtures.js';

const events = (body: string) => {
  const parsed = parseDelivery(body);
  assert.ok(parsed.ok);
  return normalizeDelivery(parsed.envelope);
};
const changes = (body: string): StateChange[] => events(body).flatMap(deriveStateChanges);
const T0 = 1767225600;

const envelope = (field: string, value: unknown) =>
  JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '8', changes: [{ field, value }] }] });

describe('rankOf', () => {
  test('orders by time first, then by event key, as text', () => {
    assert.ok(rankOf(9, 'z') < rankOf(10, 'a'));
    assert.ok(rankOf(10, 'a') < rankOf(10, 'b'));
    assert.ok(rankOf(null, 'z') < rankOf(1, 'a'), 'no time sorts first');
  });
});

describe('service window', () => {
  test('is open until the last inbound message + 24 h', () => {
    assert.equal(windowOpenUntil(1000), 1000 + SERVICE_WINDOW_MS);
    assert.equal(windowOpenUntil(null), null);
    assert.equal(isWindowOpen(1000, 1000 + SERVICE_WINDOW_MS - 1), true);
    assert.equal(isWindowOpen(1000, 1000 + SERVICE_WINDOW_MS), false);
  });

  test('an inbound message touches the window; a status or an echo does not', () => {
    const inbound = changes(textDelivery('wamid.X', T0, 'hi', '447700900123', 'GB.1'));
    assert.equal(inbound.find((c) => c.kind === 'contact')?.lastInboundAt, T0 * 1000);
    const status = changes(statusDelivery({ wamid: 'wamid.S', status: 'read', ts: T0, userId: 'GB.1' }));
    assert.equal(status.find((c) => c.kind === 'contact')?.lastInboundAt, undefined);
    const echo = changes(
      envelope('smb_message_echoes', {
        metadata: { phone_number_id: '9' },
        message_echoes: [
          {
            from: '155',
            to: '447700900123',
            id: 'wamid.E',
            timestamp: String(T0),
            type: 'text',
            text: { body: 'x' },
          },
        ],
      }),
    );
    assert.ok(echo.some((c) => c.kind === 'message' && c.content.direction === 'outbound'));
    assert.ok(echo.every((c) => c.kind !== 'contact' || c.lastInboundAt === undefined));
  });

  test('a standby copy of the user’s message opens the window; its copied status and echo do not', () => {
    // Conversation Routing (reference §3.27): the user wrote to the business number, another app
    // owns the thread. The window belongs to the number and the user, whichever app answers.
    const standby = eventsOf('standby/message.json');
    const opened = standby.flatMap(deriveStateChanges).filter((c) => c.kind === 'contact');
    assert.deepEqual(
      opened.map((c) => c.kind === 'contact' && c.lastInboundAt).filter((t) => t !== undefined),
      [1767225600 * 1000],
    );
  });
});

describe('deriveStateChanges', () => {
  test('keys a contact by BSUID when known, else by phone', () => {
    assert.equal(contactKey({ waId: '44', userId: 'GB.1' }), 'GB.1');
    assert.equal(contactKey({ waId: '44' }), 'wa:44');
    assert.equal(contactKey({}), undefined);
  });

  test('a failed status records its errors and, for 131050, a marketing opt-out', () => {
    const c = changes(
      statusDelivery({ wamid: 'wamid.F', status: 'failed', ts: T0, waId: '447700900123', errorCode: 131050 }),
    );
    const err = c.find((x) => x.kind === 'message_error');
    assert.equal(err?.kind === 'message_error' && err.code, 131050);
    const contact = c.find((x) => x.kind === 'contact');
    assert.deepEqual(contact?.kind === 'contact' && contact.optOut, {
      value: 'stop',
      source: 'error_131050',
    });
    const status = c.find((x) => x.kind === 'status');
    assert.equal(status?.kind === 'status' && status.statusRank, null, 'failed is kept beside the rank');
  });

  test('user_preferences sets the marketing opt-out only for the marketing category (or none given)', () => {
    const pref = (category: string | undefined) =>
      changes(
        envelope('user_preferences', {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: '15550000000', phone_number_id: '9' },
          user_preferences: [
            {
              wa_id: '447700900123',
              detail: 'User requested to stop',
              ...(category === undefined ? {} : { category }),
              value: 'stop',
              timestamp: T0,
            },
          ],
        }),
      ).find((x) => x.kind === 'contact');
    const optOut = (category: string | undefined) => {
      const c = pref(category);
      return c?.kind === 'contact' ? c.optOut : 'no contact change';
    };
    assert.deepEqual(optOut('marketing_messages'), { value: 'stop', source: 'user_preferences' });
    assert.deepEqual(optOut(undefined), { value: 'stop', source: 'user_preferences' });
    assert.equal(optOut('utility_messages'), undefined, 'another category is not a marketing opt-out');
  });

  test('user_id_update moves to the new BSUID and marks the old one replaced', () => {
    const c = changes(
      envelope('user_id_update', {
        metadata: { phone_number_id: '9' },
        contacts: [{ wa_id: '447700900999' }],
        user_id_update: [
          {
            wa_id: '447700900999',
            user_id: { previous: 'GB.OLD', current: 'GB.NEW' },
            timestamp: String(T0),
          },
        ],
      }),
    ).filter((x) => x.kind === 'contact');
    assert.ok(c.some((x) => x.kind === 'contact' && x.id === 'GB.NEW' && x.fields.waId === '447700900999'));
    assert.ok(c.some((x) => x.kind === 'contact' && x.id === 'GB.OLD' && x.fields.replacedBy === 'GB.NEW'));
  });

  test('a user_changed_number system message points the old number to the new one', () => {
    const c = changes(
      envelope('messages', {
        metadata: { phone_number_id: '9' },
        messages: [
          {
            from: '447700900123',
            id: 'wamid.SYS',
            timestamp: String(T0),
            type: 'system',
            system: {
              body: 'changed',
              wa_id: '447700900999',
              user_id: 'GB.NEW',
              type: 'user_changed_number',
            },
          },
        ],
      }),
    );
    assert.ok(
      c.some(
        (x) => x.kind === 'contact' && x.id === 'wa:447700900123' && x.fields.replacedBy === '447700900999',
      ),
    );
    assert.ok(c.some((x) => x.kind === 'contact' && x.id === 'GB.NEW' && x.fields.waId === '447700900999'));
    assert.ok(
      c.every((x) => x.kind !== 'contact' || x.lastInboundAt === undefined),
      'system messages do not open the window',
    );
  });

  test('a template status event sets the status aspect and one history row', () => {
    const [t] = changes(templateStatusDelivery(77, 'PAUSED', T0, 'LOW_QUALITY'));
    assert.equal(t?.kind, 'template');
    if (t?.kind !== 'template') return;
    assert.equal(t.templateKey, '77');
    assert.deepEqual(t.status, { value: 'PAUSED', reason: 'LOW_QUALITY' });
    assert.equal(t.history.eventName, 'template.status');
  });
});
