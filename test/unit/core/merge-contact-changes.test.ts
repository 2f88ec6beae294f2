import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeContactChanges, rankGreater } from '../../../src/core/merge-contact-changes.js';
import { rankOf, type ContactChange } from '../../../src/core/state-change.js';

const change = (at: number, key: string, extra: Partial<ContactChange>): ContactChange => ({
  kind: 'contact',
  id: 'ES.1',
  rank: rankOf(at, key),
  fields: {},
  ...extra,
});

const changes: ContactChange[] = [
  change(1000, 'a', { fields: { waId: '1', name: 'Ana' }, lastInboundAt: 1000 }),
  change(3000, 'b', { fields: { name: 'Ana R.' }, optOut: { value: 'stop', source: 'user_preferences' } }),
  change(2000, 'c', { fields: { waId: '2', username: 'ana' }, lastInboundAt: 2000 }),
  change(500, 'd', { optOut: { value: 'resume', source: 'user_preferences' } }),
  { ...change(0, 'e', { fields: { waId: '9' } }), id: 'wa:9' },
];

describe('mergeContactChanges', () => {
  test('one record per id: per field the greatest rank, the latest inbound time, the newest opt-out', () => {
    const merged = mergeContactChanges(changes);
    assert.equal(merged.length, 2);
    const ana = merged.find((m) => m.id === 'ES.1');
    assert.deepEqual(ana?.fields, {
      waId: { value: '2', rank: rankOf(2000, 'c') },
      name: { value: 'Ana R.', rank: rankOf(3000, 'b') },
      username: { value: 'ana', rank: rankOf(2000, 'c') },
    });
    assert.equal(ana?.lastInboundAt, 2000);
    assert.deepEqual(ana?.optOut, {
      value: { value: 'stop', source: 'user_preferences' },
      rank: rankOf(3000, 'b'),
    });
  });

  test('the order of the records does not matter (commutative state, design §2)', () => {
    const expected = mergeContactChanges(changes);
    const sort = (xs: ReturnType<typeof mergeContactChanges>) =>
      [...xs].sort((a, b) => (a.id < b.id ? -1 : 1));
    for (let i = 0; i < changes.length; i++) {
      const rotated = [...changes.slice(i), ...changes.slice(0, i)].reverse();
      assert.deepEqual(sort(mergeContactChanges(rotated)), sort(expected));
    }
  });

  test('ranks compare like SQLite text (UTF-8 bytes), also above U+D7FF', () => {
    assert.equal(rankGreater('b', 'a'), true);
    assert.equal(rankGreater('a', 'a'), false);
    // U+FF01 is below U+1F600 in UTF-8 bytes, above its surrogates in UTF-16.
    assert.equal(rankGreater('x\u{1F600}', 'x\uFF01'), true);
    assert.equal(rankGreater('x\uFF01', 'x\u{1F600}'), false);
  });
});
