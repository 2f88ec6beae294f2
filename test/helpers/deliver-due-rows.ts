import type { Outbox } from '../../src/ports/outbox.js';

/** Claims every due outbox row of `target` (up to 1,000) and marks them delivered, as a dispatcher whose handler succeeded would. */
export async function deliverDueRows(outbox: Outbox, target: string, now: number): Promise<void> {
  const rows = await outbox.claimDue({
    workerId: 'd',
    perTarget: [{ target, limit: 1000 }],
    leaseMs: 1000,
    now,
  });
  await outbox.markDelivered(
    'd',
    rows.map((r) => r.id),
    now,
  );
}
