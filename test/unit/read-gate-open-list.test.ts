/**
 * The read gate's list of connections waiting for their next request (src/api/read-gate.ts): when
 * a turn's budget runs out, every connection answered and still waiting stops reading, once each,
 * in the order they were answered — however many requests went through each before, and whatever
 * closed meanwhile — and none that has since received its next request.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ReadGate, type GateMember } from '../../src/api/read-gate.js';

class Member implements GateMember {
  gateOpenMark = 0;
  constructor(
    readonly name: string,
    private readonly stopped: string[],
  ) {}
  holdFromGate(): void {
    this.stopped.push(this.name);
  }
  resumeFromGate(): void {}
}

describe('the read gate’s connections waiting for their next request', () => {
  test('stop reading once each, in the order they were answered, however many requests others answered meanwhile', () => {
    let clock = 0;
    const stopped: string[] = [];
    const gate = new ReadGate({ budgetMs: 10, now: () => clock, defer: () => {} });
    const [a, b, c, closed, busy] = ['a', 'b', 'c', 'closed', 'busy'].map((n) => new Member(n, stopped)) as [
      Member,
      Member,
      Member,
      Member,
      Member,
    ];
    // a, then b, answered and waiting; c's requests (and two others') come and are answered over and
    // over meanwhile, thousands of times (the list passes its first limits).
    for (const m of [a, b]) {
      assert.equal(gate.admit(m), true);
      gate.reading(m);
    }
    for (let i = 0; i < 3000; i++)
      for (const m of [c, closed, busy]) {
        assert.equal(gate.admit(m), true);
        gate.reading(m);
      }
    // One closes; another's next request arrives (being processed).
    gate.forget(closed);
    assert.equal(gate.admit(busy), true);
    assert.deepEqual(stopped, []);

    clock = 11;
    const late = new Member('late', stopped);
    assert.equal(gate.admit(late), false, 'a request past the budget is not processed');
    assert.deepEqual(stopped, ['a', 'b', 'c']);
    assert.equal(gate.held, 3);
  });
});
