import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventAsRead, eventFromRow } from '../../src/adapters/sqlite/event-from-row.js';
import { eventColumnValues } from '../../src/adapters/state-columns.js';
import { eventJson } from '../../src/events/event-json.js';
import type { AnyWharfEvent } from '../../src/events/wharf-event.js';

const COLUMNS = [
  'key',
  'name',
  'field',
  'occurred_at',
  'waba_id',
  'phone_number_id',
  'display_phone_number',
  'contact_wa_id',
  'contact_user_id',
  'contact_parent_user_id',
  'contact_username',
  'contact_name',
  'wamid',
  'data',
  'raw',
  'delivery_id',
];

/** The event as stored (with its raw) and read back. */
function roundTrip(e: AnyWharfEvent): AnyWharfEvent {
  const values = eventColumnValues(e, '7', true);
  return eventFromRow(Object.fromEntries(COLUMNS.map((c, i) => [c, values[i]])));
}

const base = {
  name: 'message.text',
  key: 'k1',
  field: 'messages',
  occurredAt: 1_750_000_000_000,
  wabaId: 'w1',
  phoneNumberId: 'p1',
  contact: { waId: '447700900123', name: 'Ana' },
  wamid: 'wamid.1',
  data: { text: 'hi', replyTo: undefined },
  raw: { id: 'wamid.1', text: { body: 'hi' } },
} as unknown as AnyWharfEvent;

describe('an event handed to the stream from its commit reads as it would from the database', () => {
  test('an event that a read gives back unchanged is the same object', () => {
    assert.equal(eventAsRead(base), base);
    assert.deepEqual(
      eventJson({ id: '1', event: eventAsRead(base) }),
      eventJson({ id: '1', event: roundTrip(base) }),
    );
  });

  for (const [what, change] of [
    ['empty texts', { wabaId: '', phoneNumberId: '', displayPhoneNumber: '', wamid: '' }],
    ['a contact with nothing in it', { contact: { waId: '', name: undefined } }],
    ['a contact with one empty member', { contact: { waId: '447700900123', name: '' } }],
    ['no time', { occurredAt: undefined }],
    ['no data and no raw', { data: undefined, raw: undefined }],
  ] as const)
    test(`${what}: the JSON a read would give`, () => {
      const e = { ...base, ...change } as unknown as AnyWharfEvent;
      assert.notEqual(eventAsRead(e), e);
      assert.deepEqual(
        JSON.stringify(eventJson({ id: '1', event: eventAsRead(e) })),
        JSON.stringify(eventJson({ id: '1', event: roundTrip(e) })),
      );
    });
});
