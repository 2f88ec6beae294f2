import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupCommitter } from '../../src/app/group-commit.js';
import type { AppendOutcome, Inbox, NewDelivery } from '../../src/ports/inbox.js';
import { StorageError } from '../../src/storage-error.js';
import { WharfError } from '../../src/errors.js';

/** An inbox whose commits complete only when the test releases them. */
function controlledInbox() {
  const batches: NewDelivery[][] = [];
  const releases: Array<(fail?: Error) => void> = [];
  let settleCalls = 0;
  const inbox: Inbox & { readonly settleCalls: number } = {
    get settleCalls() {
      return settleCalls;
    },
    settleFinished() {
      settleCalls++;
    },
    appendBatch(ds) {
      batches.push([...ds]);
      return new Promise<readonly AppendOutcome[]>((resolve, reject) => {
        releases.push((fail) =>
          fail
            ? reject(fail)
            : resolve(ds.map((d) => ({ id: d.requestId, duplicate: false, bodyHash: 'h' }))),
        );
      });
    },
    list: async () => ({ data: [], nextCursor: null, total: 0 }),
    body: async () => null,
    depth: async () => 0,
    warmUp: async () => undefined,
    ready: async () => undefined,
    close: async () => undefined,
  };
  return { inbox, batches, releases };
}

const delivery = (id: string): NewDelivery => ({
  body: Buffer.from(id),
  receivedAt: 0,
  secretIndex: 0,
  requestId: id,
});
const tick = () => new Promise((r) => setImmediate(r));
// A clock that stands still: a batch is then posted at the end of the turn whatever the machine's
// load (a real clock that jumps 3 ms between two submits would post the first one early).
const still = () => 0;

describe('GroupCommitter', () => {
  test('concurrent submits share one transaction', async () => {
    const { inbox, batches, releases } = controlledInbox();
    const gc = new GroupCommitter(inbox, { maxPending: 100, now: still });
    const ps = ['a', 'b', 'c'].map((id) => gc.submit(delivery(id)));
    await tick();
    assert.equal(batches.length, 1);
    assert.deepEqual(
      batches[0]!.map((d) => d.requestId),
      ['a', 'b', 'c'],
    );
    releases[0]!();
    assert.deepEqual(
      (await Promise.all(ps)).map((o) => o.id),
      ['a', 'b', 'c'],
    );
  });

  test('a submit resolves only after its commit completes', async () => {
    const { inbox, releases } = controlledInbox();
    const gc = new GroupCommitter(inbox, { maxPending: 100, now: still });
    let done = false;
    const p = gc.submit(delivery('a')).then(() => (done = true));
    await tick();
    await tick();
    assert.equal(done, false);
    releases[0]!();
    await p;
    assert.equal(done, true);
  });

  test('submits arriving during a commit form the next batch', async () => {
    const { inbox, batches, releases } = controlledInbox();
    const gc = new GroupCommitter(inbox, { maxPending: 100, now: still });
    const first = gc.submit(delivery('a'));
    await tick();
    const later = [gc.submit(delivery('b')), gc.submit(delivery('c'))];
    await tick();
    assert.equal(batches.length, 1, 'only one commit in flight');
    releases[0]!();
    await first;
    await tick();
    assert.equal(batches.length, 2);
    assert.deepEqual(
      batches[1]!.map((d) => d.requestId),
      ['b', 'c'],
    );
    releases[1]!();
    await Promise.all(later);
  });

  test('a failed commit rejects every delivery of that batch with the storage error', async () => {
    const { inbox, releases } = controlledInbox();
    const gc = new GroupCommitter(inbox, { maxPending: 100, now: still });
    const ps = [gc.submit(delivery('a')), gc.submit(delivery('b'))];
    await tick();
    releases[0]!(new StorageError('disk full'));
    for (const p of ps) await assert.rejects(p, StorageError);
  });

  test('more pending deliveries than the bound fail fast with OVERLOADED', async () => {
    const { inbox, releases } = controlledInbox();
    const gc = new GroupCommitter(inbox, { maxPending: 2, now: still });
    const ok = [gc.submit(delivery('a')), gc.submit(delivery('b'))];
    await assert.rejects(
      gc.submit(delivery('c')),
      (e: unknown) => e instanceof WharfError && e.code === 'OVERLOADED',
    );
    await tick();
    releases[0]!();
    await Promise.all(ok);
    assert.equal(gc.pending, 0);
  });

  test('drain waits for pending commits, then refuses new submits', async () => {
    const { inbox, releases } = controlledInbox();
    const gc = new GroupCommitter(inbox, { maxPending: 10, now: still });
    const p = gc.submit(delivery('a'));
    await tick();
    let drained = false;
    const d = gc.drain().then(() => (drained = true));
    await tick();
    assert.equal(drained, false);
    releases[0]!();
    await p;
    await d;
    await assert.rejects(
      gc.submit(delivery('b')),
      (e: unknown) => e instanceof WharfError && e.code === 'SHUTTING_DOWN',
    );
  });

  test('splits a huge queue into batches of at most maxBatch', async () => {
    const { inbox, batches, releases } = controlledInbox();
    const gc = new GroupCommitter(inbox, { maxPending: 100, maxBatch: 2, now: still });
    const ps = ['a', 'b', 'c'].map((id) => gc.submit(delivery(id)));
    await tick();
    releases[0]!();
    await tick();
    await tick();
    releases[1]!();
    await Promise.all(ps);
    assert.deepEqual(
      batches.map((b) => b.length),
      [2, 1],
    );
  });

  const overloaded = (e: unknown) => e instanceof WharfError && e.code === 'OVERLOADED';

  test('while the oldest delivery has waited past the queue-time target, a new one is refused at once', async () => {
    const { inbox, releases } = controlledInbox();
    let t = 0;
    const gc = new GroupCommitter(inbox, { maxPending: 100, maxQueueMs: 250, now: () => t });
    const first = gc.submit(delivery('a'));
    await tick();
    t = 200;
    const inTime = gc.submit(delivery('b'));
    t = 251;
    await assert.rejects(gc.submit(delivery('late')), overloaded);
    assert.equal(gc.pending, 2, 'the refused one was never queued');
    releases[0]!();
    await first;
    await tick();
    releases[1]!();
    await inTime;
    t = 10_000;
    const again = gc.submit(delivery('idle again'));
    await tick();
    releases[2]!();
    assert.equal((await again).id, 'idle again', 'an empty queue never sheds');
  });

  test('shedding() tells beforehand whether submit() would refuse', async () => {
    const { inbox, releases } = controlledInbox();
    let t = 0;
    const gc = new GroupCommitter(inbox, { maxPending: 100, maxQueueMs: 250, now: () => t });
    assert.equal(gc.shedding(), false, 'nothing pending');
    const first = gc.submit(delivery('a'));
    await tick();
    t = 251;
    assert.equal(gc.shedding(), true);
    await assert.rejects(gc.submit(delivery('late')), overloaded);
    releases.shift()!();
    await first;
    assert.equal(gc.shedding(), false, 'nothing pending again');
  });

  test('a delivery not committed within the answer deadline is rejected then, and a queued one is never written', async () => {
    const { inbox, batches, releases } = controlledInbox();
    const gc = new GroupCommitter(inbox, { maxPending: 100, answerDeadlineMs: 30 });
    const stuck = gc.submit(delivery('a'));
    await tick();
    const queued = gc.submit(delivery('b'));
    await assert.rejects(stuck, overloaded);
    await assert.rejects(queued, overloaded);
    releases[0]!();
    await gc.drain();
    assert.deepEqual(
      batches.map((b) => b.map((d) => d.requestId)),
      [['a']],
    );
  });

  test('a delivery committed before its deadline resolves with its outcome', async () => {
    const { inbox, releases } = controlledInbox();
    const gc = new GroupCommitter(inbox, { maxPending: 100, answerDeadlineMs: 60_000 });
    const p = gc.submit(delivery('a'));
    await tick();
    releases[0]!();
    assert.equal((await p).id, 'a');
  });

  test('writeProblem: a failed commit makes it not writable until one succeeds or the failure is old; late commits too', async () => {
    const { inbox, releases } = controlledInbox();
    let t = 0;
    const gc = new GroupCommitter(inbox, { maxPending: 100, now: () => t });
    assert.equal(gc.writeProblem(800), null);
    const failed = gc.submit(delivery('a'));
    await tick();
    t = 900;
    assert.equal(gc.writeProblem(800), 'commits to storage are late');
    releases[0]!(new StorageError('disk I/O error'));
    await assert.rejects(failed);
    assert.equal(gc.writeProblem(800), 'the last commit to storage failed');
    t = 900 + 800 * 5;
    assert.equal(gc.writeProblem(800), null, 'forgotten: no traffic could prove it writable again');
    t = 10_000;
    const ok = gc.submit(delivery('b'));
    await tick();
    releases[1]!();
    await ok;
    assert.equal(gc.writeProblem(800), null);
  });

  test('a batch that has gathered past 2 ms with no commit in flight is posted at the next request, not at the end of the event-loop turn', () => {
    const { inbox, batches } = controlledInbox();
    let t = 0;
    const gc = new GroupCommitter(inbox, { maxPending: 100, now: () => t });
    void gc.submit(delivery('a'));
    t = 2;
    void gc.submit(delivery('b'));
    assert.equal(batches.length, 0, 'within 2 ms the batch waits for the turn to end');
    t = 3;
    assert.equal(gc.shedding(), false);
    // No turn of the event loop has happened in this test (it never awaits).
    assert.deepEqual(
      batches.map((b) => b.map((d) => d.requestId)),
      [['a', 'b']],
    );
  });

  test('past the first 10 ms of an event-loop turn requests no longer settle commits themselves, so a busy turn ends; the next turn settles again', async () => {
    const { inbox } = controlledInbox();
    let t = 0;
    const gc = new GroupCommitter(inbox, { maxPending: 100, now: () => t });
    gc.shedding();
    t = 10;
    gc.shedding();
    assert.equal(inbox.settleCalls, 2, 'within the first 10 ms of the turn');
    t = 11;
    gc.shedding();
    gc.shedding();
    assert.equal(inbox.settleCalls, 2, "later in the same turn: left to the turn's end");
    await new Promise((r) => setImmediate(r));
    gc.shedding();
    assert.equal(inbox.settleCalls, 3, 'a new turn');
  });

  test('every request first asks the inbox to settle commits that finished (settleFinished)', () => {
    const { inbox } = controlledInbox();
    const gc = new GroupCommitter(inbox, { maxPending: 100, now: still });
    gc.shedding();
    void gc.submit(delivery('a'));
    assert.equal(inbox.settleCalls, 2);
  });

  test('a new delivery expected to wait past the target (the rest of the commit in flight, then one more as long as recent ones) is refused before the oldest is late; a batch grown large is not expected to take longer', async () => {
    const { inbox, releases } = controlledInbox();
    let t = 0;
    const gc = new GroupCommitter(inbox, { maxPending: 100, maxQueueMs: 250, now: () => t });
    // One commit that took 100 ms: the estimate.
    const first = gc.submit(delivery('a'));
    await tick();
    t = 100;
    releases[0]!();
    await first;
    assert.equal(gc.expectedWaitMs(), 100, 'idle: one commit');
    const second = gc.submit(delivery('b'));
    await tick();
    t = 110;
    assert.equal(gc.expectedWaitMs(), 90 + 100, 'the 90 ms left of the commit in flight, then one more');
    const queued = [gc.submit(delivery('c')), gc.submit(delivery('d')), gc.submit(delivery('e'))];
    assert.equal(gc.expectedWaitMs(), 90 + 100, 'three waiting make no longer a commit than one');
    t = 200;
    releases[1]!();
    await second;
    await tick();
    t = 300;
    releases[2]!();
    await Promise.all(queued);
    // Then a commit takes 600 ms (a stalled disk): the estimate moves to 100 + (600 − 100) / 5.
    const slow = gc.submit(delivery('f'));
    await tick();
    t = 900;
    releases[3]!();
    await slow;
    const inFlight = gc.submit(delivery('g'));
    await tick();
    t = 920;
    assert.equal(gc.oldestWaitMs(), 20, 'the oldest is far from late');
    assert.equal(gc.expectedWaitMs(), 180 + 200, 'the 180 ms left of the commit in flight, then one more');
    await assert.rejects(gc.submit(delivery('late')), overloaded);
    releases[4]!();
    await inFlight;
  });

  test('commits as fast as usual: a queue grown behind one of them is admitted', async () => {
    const { inbox, releases } = controlledInbox();
    let t = 0;
    const gc = new GroupCommitter(inbox, { maxPending: 1000, maxQueueMs: 250, now: () => t });
    const first = gc.submit(delivery('a'));
    await tick();
    t = 8;
    releases[0]!();
    await first;
    const inFlight = gc.submit(delivery('b'));
    await tick();
    const queued: Array<Promise<unknown>> = [];
    for (let i = 0; i < 300; i++) queued.push(gc.submit(delivery(`q${i}`)));
    assert.equal(gc.shedding(), false, '300 waiting behind an 8 ms commit are not late');
    releases[1]!();
    await inFlight;
    await tick();
    releases[2]!();
    await Promise.all(queued);
  });
});
