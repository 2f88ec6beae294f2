import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  LABEL_MAX,
  LABELS_MAX,
  NOTE_MAX,
  parseConversationPatch,
} from '../../../src/core/parse-conversation-patch.js';

describe('PATCH /conversations/{id} body', () => {
  test('keeps only the fields given; null clears a note', () => {
    assert.deepEqual(parseConversationPatch({ note: null }), { ok: true, value: { note: null } });
    assert.deepEqual(parseConversationPatch({ automation_notes: 'bot off', labels: [] }), {
      ok: true,
      value: { automationNotes: 'bot off', labels: [] },
    });
  });

  test('labels are trimmed and each kept once, in order', () => {
    assert.deepEqual(parseConversationPatch({ labels: [' vip ', 'late', 'vip'] }), {
      ok: true,
      value: { labels: ['vip', 'late'] },
    });
  });

  for (const [name, body, field] of [
    ['a body that is not an object', ['vip'], 'body'],
    ['an unknown field', { status: 'open' }, 'status'],
    ['a note that is not a string', { note: 3 }, 'note'],
    ['a note over the bound', { note: 'x'.repeat(NOTE_MAX + 1) }, 'note'],
    ['labels that are not an array', { labels: 'vip' }, 'labels'],
    ['too many labels', { labels: Array.from({ length: LABELS_MAX + 1 }, (_, i) => `l${i}`) }, 'labels'],
    ['a label that is not a string', { labels: ['ok', 7] }, 'labels[1]'],
    ['an empty label', { labels: ['  '] }, 'labels[0]'],
    ['a label over the bound', { labels: ['x'.repeat(LABEL_MAX + 1)] }, 'labels[0]'],
    ['a label with a comma', { labels: ['a,b'] }, 'labels[0]'],
  ] as const)
    test(`${name} is refused naming ${field}`, () => {
      const r = parseConversationPatch(body);
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.equal(r.field, field);
        assert.ok(r.reason.length > 0);
      }
    });
});
