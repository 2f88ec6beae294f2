/**
 * The read gate's open list (src/api/read-gate.ts) keeps no connection that closed: once the turn
 * it closed in ends, a closed connection can be collected, whatever the list held before.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ReadGate, type GateMember } from '../../src/api/read-gate.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

class Member implements GateMember {
  gateOpenMark = 0;
  /** What a closed connection may still hold (its socket, bytes read ahead). */
  readonly payload = new Uint8Array(1024);
  holdFromGate(): void {}
  resumeFromGate(): void {}
}

describe('the read gate and connections that closed', () => {
  test('a connection answered, then closed, is not kept by the open list once its turn ended', async () => {
    const deferred: Array<() => void> = [];
    const gate = new ReadGate({ budgetMs: 10, now: () => 0, defer: (fn) => void deferred.push(fn) });
    const refs: Array<WeakRef<Member>> = [];
    const live = new Member();
    (() => {
      // A burst: 3,000 connections answered and waiting (the list grows past its first limits).
      const members = Array.from({ length: 3000 }, () => new Member());
      for (const m of members) {
        gate.admit(m);
        gate.reading(m);
      }
      gate.admit(live);
      gate.reading(live);
      // Some are answered again before they close (an entry made stale by admit, then another).
      for (const m of members.slice(0, 1000)) {
        gate.admit(m);
        gate.reading(m);
      }
      // Then every one of them closes; nothing else comes (a quiet server).
      for (const m of members) {
        gate.forget(m);
        refs.push(new WeakRef(m));
      }
    })();
    while (deferred.length > 0) (deferred.shift() as () => void)();
    await new Promise((r) => setImmediate(r));
    gc();
    await new Promise((r) => setImmediate(r));
    gc();
    const kept = refs.filter((r) => r.deref() !== undefined).length;
    assert.equal(kept, 0, `${kept} of ${refs.length} closed connections still referenced`);
    assert.notEqual(live.gateOpenMark, 0, 'the one still waiting keeps its entry');
  });
});
