import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { greaterBytewise, mergeStateRow, RowMerger } from '../../src/adapters/merge-state-row.js';
import { STATE_TABLES } from '../../src/adapters/state-rules.js';

const bytewise = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b)) > 0;

describe('in-memory merge of state rows', () => {
  test('ranks compare as UTF-8 bytes, as SQLite and COLLATE "C" do, also where UTF-16 order differs', () => {
    const samples = [
      '',
      'a',
      'ab',
      'abc',
      'b',
      '0000001767225600|status:wamid.A:sent',
      '0000001767225600|status:wamid.A:read',
      '0000001767225601|status:wamid.A:sent',
      'é',
      '\u{E000}',
      '\u{FFFD}',
      '\u{1F600}',
      'x\u{1F600}',
      'x\u{E001}',
      'x\u{1F600}a',
      'x\u{1F601}',
    ];
    for (const a of samples)
      for (const b of samples) assert.equal(greaterBytewise(a, b), bytewise(a, b), `${a} > ${b}`);
    // UTF-16 puts the emoji (a surrogate pair, 0xD83D…) before U+E000; UTF-8 after it.
    assert.equal('\u{1F600}' > '\u{E000}', false);
    assert.equal(greaterBytewise('\u{1F600}', '\u{E000}'), true);
  });

  test('a greater rank moves its columns, a smaller one changes nothing; times take min and max', () => {
    const row = (rank: string, wamid: string, at: number) => ({
      phone_number_id: 'P',
      contact_key: 'wa:1',
      first_at: at,
      last_activity_at: at,
      last_inbound_at: null,
      last_inbound_wamid: null,
      last_inbound_rank: null,
      last_outbound_wamid: wamid,
      last_outbound_rank: rank,
      media_wamid: null,
      media_id: null,
      media_type: null,
      media_rank: null,
    });
    const into = row('2', 'w2', 20);
    mergeStateRow(STATE_TABLES.conversations, into, row('1', 'w1', 10));
    assert.deepEqual([into.last_outbound_wamid, into.first_at, into.last_activity_at], ['w2', 10, 20]);
    mergeStateRow(STATE_TABLES.conversations, into, row('3', 'w3', 15));
    assert.deepEqual([into.last_outbound_wamid, into.last_outbound_rank], ['w3', '3']);
  });

  test('rows of one key fold into one, in first-seen order of the keys', () => {
    const merger = new RowMerger(STATE_TABLES.conversation_messages);
    const m = (contact: string, wamid: string, at: number | null, direction: string | null) => ({
      phone_number_id: 'P',
      contact_key: contact,
      wamid,
      direction,
      at,
    });
    merger.add(m('a', 'w1', 30, null));
    merger.add(m('b', 'w1', 5, 'inbound'));
    merger.add(m('a', 'w1', 10, 'outbound'));
    merger.add(m('a', 'w1', null, null));
    assert.deepEqual([...merger.rows()], [m('a', 'w1', 10, 'outbound'), m('b', 'w1', 5, 'inbound')]);
  });
});
