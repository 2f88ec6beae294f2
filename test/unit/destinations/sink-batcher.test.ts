/**
 * The group commit of the database sinks (src/adapters/destinations/sink-batcher.ts): sends of one
 * turn share a statement of at most maxRows rows, each send gets its own outcome, a statement refused
 * for a row's data is redone row by row, a deadlock is tried once more, any other failure fails the
 * statement's sends.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SinkBatcher, type SinkWrite } from '../../../src/adapters/destinations/sink-batcher.js';
import type { SinkRow } from '../../../src/core/destinations/sink-row.js';

const row = (key: string): SinkRow => ({
  eventId: null,
  name: 'message.text',
  eventKey: key,
  occurredAt: 0,
  wabaId: '1',
  phoneNumberId: null,
  wamid: null,
  contactWaId: null,
  contactUserId: null,
  data: '{}',
  raw: '{}',
});

class RowError extends Error {}
class Deadlock extends Error {}

function batcher(write: (rows: readonly SinkRow[]) => Promise<number>, over: Partial<SinkWrite> = {}) {
  const statements: string[][] = [];
  const b = new SinkBatcher({
    maxRows: 4,
    parallel: 1,
    write: (rows) => {
      statements.push(rows.map((r) => r.eventKey));
      return write(rows);
    },
    isRowError: (e) => e instanceof RowError,
    isDeadlock: (e) => e instanceof Deadlock,
    ...over,
  });
  return { b, statements };
}

describe('SinkBatcher', () => {
  test('sends of one turn share statements of at most maxRows rows, sorted by key; each send hears back', async () => {
    const { b, statements } = batcher(async (rows) => rows.length);
    const keys = ['j', 'i', 'h', 'g', 'f', 'e', 'd', 'c', 'b', 'a'];
    const results = await Promise.all(keys.map((k) => b.add(row(k))));
    assert.deepEqual(statements, [
      ['g', 'h', 'i', 'j'],
      ['c', 'd', 'e', 'f'],
      ['a', 'b'],
    ]);
    assert.deepEqual(
      results.map((r) => r.batch),
      [4, 4, 4, 4, 4, 4, 4, 4, 2, 2],
    );
  });

  test('a statement refused for one row’s data is redone row by row: that row fails alone', async () => {
    const { b, statements } = batcher(async (rows) => {
      if (rows.some((r) => r.eventKey === 'bad')) throw new RowError('data too long');
      return rows.length;
    });
    const results = await Promise.allSettled(['a', 'bad', 'c'].map((k) => b.add(row(k))));
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.deepEqual(statements, [['a', 'bad', 'c'], ['a'], ['bad'], ['c']]);
  });

  test('a deadlock is tried once more; a failure of the connection fails every send of the statement', async () => {
    let n = 0;
    const { b } = batcher(async (rows) => {
      if (n++ === 0) throw new Deadlock('deadlock found');
      return rows.length;
    });
    assert.deepEqual(await Promise.all([b.add(row('a')), b.add(row('b'))]), [
      { batch: 2, inserted: 2 },
      { batch: 2, inserted: 2 },
    ]);
    const down = batcher(() => Promise.reject(new Error('connection refused')));
    const results = await Promise.allSettled([down.b.add(row('a')), down.b.add(row('b'))]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    assert.equal(down.statements.length, 1, 'not redone row by row');
  });
});
