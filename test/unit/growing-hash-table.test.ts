/**
 * The inbox writer's table of recent body hashes grows without a pause: no add moves more than a
 * few slots of the table it outgrew, and while the move is under way every id is found, once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GrowingHashTable, SLOTS_MOVED_PER_ADD } from '../../src/core/growing-hash-table.js';

/** Keys spread like the first 48 bits of a SHA-256. */
const keyOf = (i: number) => (Math.imul(i, 2654435761) >>> 0) * 65536 + (i % 65536);

test('no add moves more than SLOTS_MOVED_PER_ADD slots, however large the table grows', () => {
  const t = new GrowingHashTable();
  let most = 0;
  for (let i = 1; i <= 1_100_000; i++) {
    t.add(keyOf(i), i);
    most = Math.max(most, t.slotsMovedByLastAdd);
  }
  // A table that doubled by moving every entry at once moved 2,097,152 slots in one add here.
  assert.equal(most, SLOTS_MOVED_PER_ADD);
  assert.equal(t.size, 1_100_000);
});

test('while a growth is under way, every id added so far is found exactly once', () => {
  const t = new GrowingHashTable();
  const found = (key: number) => {
    const out: number[] = [];
    t.find(key, out);
    return out;
  };
  for (let i = 1; i <= 20_000; i++) {
    t.add(keyOf(i), i);
    // Right after each growth (1,024 → 2,048 slots at 513 entries, and so on), and at random
    // points of the move, look up the first, a middle and the newest id.
    if (i % 97 === 0 || (i & (i - 1)) === 0 || ((i - 1) & (i - 2)) === 0) {
      for (const j of [1, Math.ceil(i / 2), i])
        assert.deepEqual(found(keyOf(j)), [j], `id ${j} after ${i} adds`);
    }
  }
  for (let j = 1; j <= 20_000; j++) assert.deepEqual(found(keyOf(j)), [j]);
  assert.deepEqual(found(keyOf(20_001)), []);
});

test('ids that share a key are all found, before, during and after a growth', () => {
  const t = new GrowingHashTable();
  const shared = 123_456_789;
  t.add(shared, 1);
  for (let i = 2; i <= 600; i++) t.add(keyOf(i), i); // past 512 entries: the first growth starts
  t.add(shared, 601);
  const out: number[] = [];
  t.find(shared, out);
  assert.deepEqual(
    out.sort((a, b) => a - b),
    [1, 601],
  );
  for (let i = 602; i <= 5_000; i++) t.add(keyOf(i), i);
  const after: number[] = [];
  t.find(shared, after);
  assert.deepEqual(
    after.sort((a, b) => a - b),
    [1, 601],
  );
});

test('an id below 1 is refused', () => {
  assert.throws(() => new GrowingHashTable().add(1, 0), RangeError);
});

test('keys that collide and wrap past the end of the table are found as a plain map finds them', () => {
  const t = new GrowingHashTable();
  const reference = new Map<number, number[]>();
  // Few distinct keys, all landing in the last slots of the first tables: long probe chains that
  // wrap around to slot 0, through several growths and moves.
  const keyFor = (i: number) => 1016 + (i % 8) + 1024 * ((i * 7919) % 50);
  for (let id = 1; id <= 6_000; id++) {
    const key = keyFor(id);
    t.add(key, id);
    reference.set(key, [...(reference.get(key) ?? []), id]);
    if (id % 250 === 0 || id === 513 || id === 1025) {
      for (const [k, ids] of reference) {
        const out: number[] = [];
        t.find(k, out);
        assert.deepEqual(
          out.sort((a, b) => a - b),
          ids,
          `key ${k} after ${id} adds`,
        );
      }
    }
  }
});
