import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveStateChanges } from '../../../src/core/derive-state-changes.js';
import type { ConversationChange } from '../../../src/core/state-change.js';
import { eventsOf } from '../../helpers/fixtures.js';

const conversations = (path: string): ConversationChange[] =>
  eventsOf(path)
    .flatMap(deriveStateChanges)
    .filter((c): c is ConversationChange => c.kind === 'conversation');

describe('conversation facets of events', () => {
  test('an inbound text joins the BSUID conversation, opens the window and may become the last inbound', () => {
    const [c, ...rest] = conversations('messages/text.json');
    assert.equal(rest.length, 0);
    assert.ok(c);
    assert.equal(c.direction, 'inbound');
    assert.equal(c.last, 'inbound');
    assert.equal(c.opensWindow, true);
    assert.equal(c.phoneNumberId, '900000000000001');
    assert.ok(!c.contactKey.startsWith('wa:'), 'keyed by the BSUID when the event has one');
    assert.equal(c.media, undefined);
  });

  test('an image carries its media id and type as the latest media', () => {
    const [c] = conversations('messages/image.json');
    assert.deepEqual(c?.media, { id: '1200000000000001', type: 'image' });
  });

  test('a sent status may become the last outbound message; delivered and read only join the conversation', () => {
    const [sent] = conversations('messages/status-sent.json');
    const [delivered] = conversations('messages/status-delivered.json');
    const [read] = conversations('messages/status-read.json');
    assert.deepEqual([sent?.direction, sent?.last], ['outbound', 'outbound']);
    assert.deepEqual([delivered?.direction, delivered?.last], ['outbound', undefined]);
    assert.deepEqual([read?.direction, read?.last], ['outbound', undefined]);
  });

  test('an echo of the business app is outbound and never opens the window', () => {
    const echoes = conversations('smb_message_echoes/text.json');
    assert.ok(echoes.length > 0);
    for (const c of echoes) {
      assert.deepEqual([c.direction, c.last, c.opensWindow], ['outbound', 'outbound', undefined]);
    }
  });

  test("a group message and WhatsApp's system notices belong to no 1:1 conversation", () => {
    assert.deepEqual(conversations('messages/group-message.json'), []);
    assert.deepEqual(conversations('messages/system-changed-number.json'), []);
  });

  test('a BSUID-only sender is keyed by the BSUID', () => {
    const [c] = conversations('messages/bsuid-only.json');
    assert.equal(c?.contactKey, 'GB.4829103748291037482');
  });
});
