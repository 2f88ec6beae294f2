/**
 * ReadStore.stats on every adapter (src/ports/read-store.ts): the dashboard's time-bucketed counts,
 * written through the processing store and read back through the read port.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { drain, type MakeProcessing } from './processing-store.conformance.js';
import { statusDelivery, textDelivery } from '../helpers/webhook-bodies.js';

/** A whole minute (1767225600 = 2026-01-01T00:00:00Z), so buckets of 60 s start on it. */
const T0 = 1767225600;
const MINUTE = 60_000;

export function readStatsConformance(name: string, make: MakeProcessing): void {
  describe(`${name} read store: stats for the dashboard`, () => {
    test('events by name and failures by code are counted per bucket, priced messages by category', async () => {
      const u = await make();
      try {
        for (const body of [
          textDelivery('wamid.IN1', T0 + 10, 'hola'),
          textDelivery('wamid.IN2', T0 + 70, 'otra vez'),
          statusDelivery({ wamid: 'wamid.A', status: 'sent', ts: T0 + 5, pricing: 'marketing' }),
          statusDelivery({ wamid: 'wamid.A', status: 'delivered', ts: T0 + 65, pricing: 'marketing' }),
          statusDelivery({ wamid: 'wamid.B', status: 'failed', ts: T0 + 20, errorCode: 131026 }),
          statusDelivery({ wamid: 'wamid.C', status: 'failed', ts: T0 + 80, errorCode: 131050 }),
          statusDelivery({ wamid: 'wamid.D', status: 'failed', ts: T0 + 90, errorCode: 131026 }),
        ])
          await u.add(body);
        await drain(u.store);
        const s = await u.reads.stats({ since: T0 * 1000, bucketMs: MINUTE });
        const first = T0 * 1000;
        const second = first + MINUTE;
        assert.deepEqual(
          [...s.events].sort((a, b) => a.bucket - b.bucket || a.name.localeCompare(b.name)),
          [
            { bucket: first, name: 'message.text', count: 1 },
            { bucket: first, name: 'status.failed', count: 1 },
            { bucket: first, name: 'status.sent', count: 1 },
            { bucket: second, name: 'message.text', count: 1 },
            { bucket: second, name: 'status.delivered', count: 1 },
            { bucket: second, name: 'status.failed', count: 2 },
          ],
        );
        assert.deepEqual(
          [...s.failures].sort((a, b) => a.bucket - b.bucket || (a.code ?? 0) - (b.code ?? 0)),
          [
            { bucket: first, code: 131026, count: 1 },
            { bucket: second, code: 131026, count: 1 },
            { bucket: second, code: 131050, count: 1 },
          ],
        );
        assert.deepEqual(s.pricing, [{ category: 'marketing', billable: true, count: 1 }]);
      } finally {
        await u.dispose();
      }
    });

    test('only what occurred since `since` is counted, in buckets as wide as asked', async () => {
      const u = await make();
      try {
        await u.add(textDelivery('wamid.OLD', T0 - 3600, 'old'));
        await u.add(
          statusDelivery({ wamid: 'wamid.OLDF', status: 'failed', ts: T0 - 3600, errorCode: 131047 }),
        );
        await u.add(textDelivery('wamid.NEW1', T0 + 1, 'new'));
        await u.add(textDelivery('wamid.NEW2', T0 + 599, 'new'));
        await drain(u.store);
        const s = await u.reads.stats({ since: T0 * 1000, bucketMs: 10 * MINUTE });
        assert.deepEqual(s.events, [{ bucket: T0 * 1000, name: 'message.text', count: 2 }]);
        assert.deepEqual(s.failures, []);
        assert.deepEqual(s.pricing, []);
      } finally {
        await u.dispose();
      }
    });
  });
}
