/**
 * The inbox writer's turn for the write lock (src/adapters/sqlite/inbox-turn.ts): the processing
 * writer waits while a group commit in another thread holds the turn, and never longer than asked.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { InboxTurn } from '../../src/adapters/sqlite/inbox-turn.js';

/**
 * A thread that takes the turn, signals it (flags[0] = 1), keeps it until flags[1] is set or
 * `holdMs` passed, marks its commit done (flags[2] = 1) and gives the turn back.
 */
function groupCommitIn(turn: InboxTurn, flags: Int32Array, holdMs: number): Worker {
  const tsx = import.meta.resolve('tsx/esm/api');
  const mod = new URL('../../src/adapters/sqlite/inbox-turn.ts', import.meta.url).href;
  const code = `
    const { workerData } = await import('node:worker_threads');
    (await import(${JSON.stringify(tsx)})).register();
    const { InboxTurn } = await import(${JSON.stringify(mod)});
    const flags = new Int32Array(workerData.flags);
    new InboxTurn(workerData.turn).take(() => {
      Atomics.store(flags, 0, 1);
      Atomics.notify(flags, 0);
      Atomics.wait(flags, 1, 0, workerData.holdMs);
      Atomics.store(flags, 2, 1);
    });`;
  return new Worker(code, { eval: true, workerData: { turn: turn.buffer, flags: flags.buffer, holdMs } });
}

const newFlags = () => new Int32Array(new SharedArrayBuffer(12));

function untilTaken(flags: Int32Array): void {
  while (Atomics.load(flags, 0) === 0) Atomics.wait(flags, 0, 0, 1000);
}

describe('InboxTurn', () => {
  test('nothing waits when no group commit holds the turn', () => {
    const turn = new InboxTurn();
    turn.yield(60_000);
    assert.equal(turn.counter[0], 0);
  });

  test('a group commit in this thread holds the turn while it runs and gives it back after', () => {
    const turn = new InboxTurn();
    const inside = turn.take(() => turn.counter[0]);
    assert.equal(inside, 1);
    assert.equal(turn.counter[0], 0);
    assert.throws(
      () =>
        turn.take(() => {
          throw new Error('rolled back');
        }),
      /rolled back/,
    );
    assert.equal(turn.counter[0], 0);
  });

  test('the other writer waits until the group commit in another thread has finished', async () => {
    const turn = new InboxTurn();
    const flags = newFlags();
    const worker = groupCommitIn(turn, flags, 200);
    untilTaken(flags);
    turn.yield(60_000);
    assert.equal(Atomics.load(flags, 2), 1, 'the group commit finished first');
    assert.equal(turn.counter[0], 0);
    await new Promise((r) => worker.once('exit', r));
  });

  test('the wait ends after maxMs even while the group commit keeps the turn', async () => {
    const turn = new InboxTurn();
    const flags = newFlags();
    const worker = groupCommitIn(turn, flags, 60_000);
    untilTaken(flags);
    turn.yield(5);
    assert.equal(Atomics.load(flags, 2), 0, 'the group commit is still running');
    assert.equal(turn.counter[0], 1);
    Atomics.store(flags, 1, 1);
    Atomics.notify(flags, 1);
    await new Promise((r) => worker.once('exit', r));
    assert.equal(turn.counter[0], 0);
  });
});
