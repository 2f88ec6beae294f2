/**
 * The behaviours every ActionStore adapter must have (src/ports/action-store.ts): one SMS fallback
 * per wamid whoever asks and however often (a claim, then only a `retry` record can be claimed again),
 * a skip that never overrides a claim, settling only the claim that was taken, and alert keys held
 * for their window per destination.
 */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ActionStore } from '../../src/ports/action-store.js';

export interface ActionStoreFixture {
  readonly store: ActionStore;
  /** A second store on the same database, as another worker process would open it. */
  readonly other: ActionStore;
  dispose(): Promise<void>;
}

const T0 = 1_767_225_600_000;
const claim = (store: ActionStore, over: Partial<Parameters<ActionStore['claimFallback']>[0]> = {}) =>
  store.claimFallback({
    wamid: 'wamid.A',
    destinationId: 'dst_sms',
    eventKey: 'k1',
    to: '+447700900123',
    now: T0,
    ...over,
  });

export function actionStoreConformance(label: string, make: () => Promise<ActionStoreFixture>): void {
  describe(`ActionStore conformance: ${label}`, () => {
    let f: ActionStoreFixture;
    beforeEach(async () => {
      f = await make();
    });
    afterEach(() => f.dispose());

    test('the first claim of a wamid wins; every later one (any event, any worker) gets the record', async () => {
      const first = await claim(f.store);
      assert.equal(first.claimed, true);
      assert.equal(first.record.state, 'sending');
      assert.equal(first.record.attempts, 1);
      const again = await claim(f.other, { eventKey: 'k2', now: T0 + 5 });
      assert.equal(again.claimed, false);
      assert.equal(again.record.state, 'sending');
      assert.equal(again.record.eventKey, 'k1');
    });

    test('twenty claims racing from two connections: exactly one wins', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => claim(i % 2 ? f.other : f.store, { eventKey: `k${i}` })),
      );
      assert.equal(results.filter((r) => r.claimed).length, 1);
    });

    test('a settled SMS is never claimed again; its provider id and time stay', async () => {
      const c = await claim(f.store);
      assert.equal(
        await f.store.settleFallback('wamid.A', c.record.claimedAt!, {
          state: 'sent',
          providerId: 'SM123',
          at: T0 + 10,
        }),
        true,
      );
      const again = await claim(f.store, { now: T0 + 20 });
      assert.equal(again.claimed, false);
      assert.deepEqual(
        [again.record.state, again.record.providerId, again.record.at, again.record.to],
        ['sent', 'SM123', T0 + 10, '+447700900123'],
      );
    });

    test('a `retry` record is claimed again (attempts counted); `failed` and `unknown` are not', async () => {
      const c = await claim(f.store);
      await f.store.settleFallback('wamid.A', c.record.claimedAt!, {
        state: 'retry',
        reason: 'HTTP 503',
        at: T0,
      });
      const c2 = await claim(f.store, { now: T0 + 100 });
      assert.equal(c2.claimed, true);
      assert.equal(c2.record.attempts, 2);
      assert.equal(c2.record.reason, null);
      await f.store.settleFallback('wamid.A', c2.record.claimedAt!, {
        state: 'unknown',
        reason: 'timeout',
        at: T0 + 101,
      });
      assert.equal((await claim(f.store, { now: T0 + 200 })).claimed, false);

      const b = await claim(f.store, { wamid: 'wamid.B' });
      await f.store.settleFallback('wamid.B', b.record.claimedAt!, {
        state: 'failed',
        reason: 'invalid',
        at: T0,
      });
      assert.equal((await claim(f.store, { wamid: 'wamid.B', now: T0 + 1 })).claimed, false);
    });

    test('settling needs the claim that was taken', async () => {
      const c = await claim(f.store);
      assert.equal(
        await f.store.settleFallback('wamid.A', c.record.claimedAt! + 1, { state: 'sent', at: T0 }),
        false,
      );
      assert.equal((await f.store.fallback('wamid.A'))?.state, 'sending');
    });

    test('a skip is recorded with its reason, and never replaces a claim', async () => {
      const s = await f.store.skipFallback({
        wamid: 'wamid.S',
        destinationId: 'dst_sms',
        eventKey: 'k1',
        to: null,
        reason: 'no phone number',
        now: T0,
      });
      assert.deepEqual([s.state, s.reason, s.to, s.attempts], ['skipped', 'no phone number', null, 0]);
      assert.equal((await claim(f.store, { wamid: 'wamid.S' })).claimed, false);
      await claim(f.store);
      const kept = await f.store.skipFallback({
        wamid: 'wamid.A',
        destinationId: 'dst_sms',
        eventKey: 'k9',
        to: null,
        reason: 'opted out',
        now: T0 + 1,
      });
      assert.equal(kept.state, 'sending');
      assert.equal(await f.store.fallback('wamid.none'), null);
    });

    test('an alert key is held for its window per destination; the same event may take it again', async () => {
      const a = {
        destinationId: 'dst_slack',
        key: 'template:1:PAUSED',
        eventKey: 'e1',
        now: T0,
        windowMs: 60_000,
      };
      assert.deepEqual(await f.store.claimAlert(a), { claimed: true });
      assert.deepEqual(await f.other.claimAlert({ ...a, eventKey: 'e2', now: T0 + 59_999 }), {
        claimed: false,
        sentAt: T0,
      });
      assert.deepEqual(await f.store.claimAlert({ ...a, now: T0 + 10 }), { claimed: true }, 'a retry of e1');
      assert.deepEqual(await f.store.claimAlert({ ...a, destinationId: 'dst_mail', eventKey: 'e2' }), {
        claimed: true,
      });
      assert.deepEqual(await f.store.claimAlert({ ...a, eventKey: 'e3', now: T0 + 10 + 60_000 }), {
        claimed: true,
      });
    });

    test('a released alert (its send failed) does not hold the next event back', async () => {
      const a = { destinationId: 'dst_slack', key: 'k', eventKey: 'e1', now: T0, windowMs: 60_000 };
      await f.store.claimAlert(a);
      await f.store.releaseAlert('dst_slack', 'k', 'e2'); // not the holder: nothing changes
      assert.equal((await f.store.claimAlert({ ...a, eventKey: 'e2', now: T0 + 1 })).claimed, false);
      await f.store.releaseAlert('dst_slack', 'k', 'e1');
      assert.equal((await f.store.claimAlert({ ...a, eventKey: 'e2', now: T0 + 2 })).claimed, true);
    });

    test('twenty alert claims racing from two connections: exactly one wins', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? f.other : f.store).claimAlert({
            destinationId: 'd',
            key: 'k',
            eventKey: `e${i}`,
            now: T0,
            windowMs: 60_000,
          }),
        ),
      );
      assert.equal(results.filter((r) => r.claimed).length, 1);
    });
  });
}
