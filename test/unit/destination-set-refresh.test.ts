/**
 * DestinationSet.refresh keeps a destination's transport (its broker connection) when only its rate
 * limit changed, and opens a new one when anything it is opened from changed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DestinationSet } from '../../src/app/destination-set.js';
import type { Destination, DestinationSecrets } from '../../src/core/destinations/destination.js';
import type { DestinationStore } from '../../src/ports/destination-store.js';
import type { DestinationTransport } from '../../src/ports/destination-transport.js';
import type { DestinationKinds } from '../../src/app/destination-kinds.js';

const destination: Destination = {
  id: 'dst_1',
  name: 'bus',
  kind: 'nats',
  enabled: true,
  filter: {},
  format: 'event',
  settings: { url: 'nats://127.0.0.1:4222', subject: 'wharf.{name}' },
  timeoutMs: 5000,
  maxInFlight: 10,
  rateLimitPerSecond: 1,
  ordering: 'none',
  batchWindowMs: 0,
  transform: null,
  createdAt: 1,
  updatedAt: 1,
  disabledReason: null,
};

function bed() {
  let stored: { d: Destination; secrets: DestinationSecrets } = {
    d: destination,
    secrets: { current: 'whsec_a', previous: null, previousUntil: null },
  };
  const opened: Array<{ closed: boolean; secrets: () => readonly string[] }> = [];
  const store = {
    list: async () => [stored.d],
    secrets: async () => stored.secrets,
  } as unknown as DestinationStore;
  const set = new DestinationSet({
    store,
    kinds: {} as DestinationKinds,
    deliver: async () => undefined,
    deliverBatch: async () => [],
    decide: undefined,
    coverage: undefined,
    now: () => 1000,
    open: (_d, secrets) => {
      const t = { closed: false, secrets };
      opened.push(t);
      return {
        send: async () => ({ ok: true, status: null, durationMs: 0, responseExcerpt: null, error: null }),
        close: async () => {
          t.closed = true;
        },
      } as DestinationTransport;
    },
  });
  const change = (d: Partial<Destination>, secrets?: DestinationSecrets) => {
    stored = {
      d: { ...stored.d, ...d, updatedAt: stored.d.updatedAt + 1 },
      secrets: secrets ?? stored.secrets,
    };
  };
  return { set, opened, change };
}

test('lifting or changing a rate limit keeps the transport open; the target takes the new limit', async () => {
  const { set, opened, change } = bed();
  await set.refresh();
  const before = set.get('dst_1')?.transport;
  change({ rateLimitPerSecond: null });
  await set.refresh();
  assert.equal(opened.length, 1, 'no second transport opened');
  assert.equal(opened[0]?.closed, false, 'the connection stays open');
  assert.equal(set.get('dst_1')?.transport, before);
  assert.equal(set.get('dst_1')?.target.rate, undefined, 'no rate limit any more');
  assert.deepEqual(opened[0]?.secrets(), ['whsec_a'], 'the kept transport still signs with the secret');
  change({ rateLimitPerSecond: 50 });
  await set.refresh();
  assert.equal(opened.length, 1);
  assert.ok(set.get('dst_1')?.target.rate, 'limited again');
});

test('any other change, or new secrets, opens a new transport and closes the old one', async () => {
  const { set, opened, change } = bed();
  await set.refresh();
  change({ rateLimitPerSecond: null, settings: { url: 'nats://127.0.0.1:4222', subject: 'other.{name}' } });
  await set.refresh();
  assert.equal(opened.length, 2);
  assert.equal(opened[0]?.closed, true, 'the old connection is closed');
  change({ maxInFlight: 20 });
  await set.refresh();
  assert.equal(opened.length, 3);
  change({}, { current: 'whsec_b', previous: 'whsec_a', previousUntil: 5000 });
  await set.refresh();
  assert.equal(opened.length, 4, 'a rotated secret: the transport signs with the new one');
  assert.deepEqual(opened[3]?.secrets(), ['whsec_b', 'whsec_a']);
});
