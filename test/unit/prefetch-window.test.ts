import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PrefetchWindow } from '../../src/app/prefetch-window.js';
import type { ClaimedRow } from '../../src/ports/outbox.js';
import type { AnyWharfEvent } from '../../src/events/wharf-event.js';

const row = (id: string, target = 'handler:a'): ClaimedRow => ({
  id,
  target,
  attempts: 0,
  lastDelayMs: null,
  event: { name: 'status.sent', key: `k${id}` } as unknown as AnyWharfEvent,
});

describe('PrefetchWindow (rows leased ahead of their attempt)', () => {
  test('hands a target its rows in claim order, and other targets their own', () => {
    const w = new PrefetchWindow();
    w.add([row('1'), row('2', 'handler:b'), row('3')], 10_000);
    assert.equal(w.size('handler:a'), 2);
    assert.equal(w.take('handler:a', 0, 100)?.id, '1');
    assert.equal(w.take('handler:a', 0, 100)?.id, '3');
    assert.equal(w.take('handler:a', 0, 100), undefined);
    assert.equal(w.take('handler:b', 0, 100)?.id, '2');
  });
  test('a row claimed again while its attempt runs (a replay) is queued once that attempt is recorded', () => {
    const w = new PrefetchWindow();
    w.add([row('1')], 10_000);
    assert.equal(w.take('handler:a', 0, 100)?.id, '1');
    w.add([row('1')], 20_000);
    assert.equal(w.size('handler:a'), 0, 'never twice at once');
    w.done('1');
    assert.equal(w.size('handler:a'), 1, 'and not lost');
    assert.equal(w.take('handler:a', 0, 100)?.id, '1');
    w.done('1');
    assert.equal(w.size('handler:a'), 0);
  });
  test('a queued row claimed again once its lease ran out is started under its new lease, not left behind', () => {
    const w = new PrefetchWindow();
    w.add([row('1')], 1000);
    // Every slot stayed busy past the lease: the next claim leases the same row again.
    w.add([row('1')], 5000);
    assert.equal(w.size('handler:a'), 1, 'queued once');
    assert.equal(w.take('handler:a', 2000, 100)?.id, '1', 'the new lease outlasts the attempt');
    w.done('1');
    assert.equal(w.size('handler:a'), 0, 'and nothing is left to run it twice');
    assert.equal(w.take('handler:a', 2000, 100), undefined);
  });
  test('a row whose lease would end before its attempt could is dropped, not started', () => {
    const w = new PrefetchWindow();
    w.add([row('1'), row('2')], 1000);
    assert.equal(w.take('handler:a', 950, 100), undefined);
    assert.equal(w.size('handler:a'), 0);
    // Dropped rows are no longer held: the claim after their lease expiry queues them again.
    w.add([row('1')], 5000);
    assert.equal(w.take('handler:a', 950, 100)?.id, '1');
  });
  test('rows of a target that is gone are let go', () => {
    const w = new PrefetchWindow();
    w.add([row('1'), row('2', 'handler:b')], 10_000);
    w.keepOnly(new Set(['handler:b']));
    assert.equal(w.size('handler:a'), 0);
    assert.equal(w.size('handler:b'), 1);
    w.add([row('1')], 10_000);
    assert.equal(w.size('handler:a'), 1);
  });
  test('takeAll hands over every queued row, not the rows whose attempt runs, and they may be claimed here again', () => {
    const w = new PrefetchWindow();
    w.add([row('1'), row('2'), row('3', 'handler:b')], 10_000);
    assert.equal(w.take('handler:a', 0, 100)?.id, '1');
    assert.deepEqual(
      w.takeAll().map((r) => r.id),
      ['2', '3'],
    );
    assert.equal(w.size('handler:a') + w.size('handler:b'), 0);
    w.add([row('2'), row('1')], 10_000);
    assert.equal(w.size('handler:a'), 1, 'row 2 queued again; row 1 still runs');
  });
});
