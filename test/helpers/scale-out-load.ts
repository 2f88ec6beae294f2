/**
 * The load of the scale-out tests (PostgreSQL and SQLite): a few hundred distinct deliveries sent
 * several times each in a shuffled order, and the state a single process reaches over them.
 */
import { createHarness, SNAPSHOT as HARNESS_SNAPSHOT } from './processing-harness.js';
import { preferenceDelivery, statusDelivery, textDelivery, type StatusSpec } from './webhook-bodies.js';

const T0 = 1767225600;
const STATUSES = ['sent', 'delivered', 'read', 'failed'] as const;

/** A few hundred distinct bodies: every status of 60 wamids (in shuffled orders), some bundled two to a delivery, texts and opt-outs. */
export function distinctBodies(): string[] {
  const specs: StatusSpec[] = [];
  for (let w = 0; w < 60; w++)
    for (const [i, status] of STATUSES.entries())
      specs.push({
        wamid: `wamid.SCALE${w}`,
        status,
        ts: T0 + ((w * 7 + i * 13) % 50),
        waId: `4477009${String(w % 20).padStart(5, '0')}`,
        userId: `GB.${w % 20}`,
        name: `Name ${w % 3}`,
        ...(status === 'failed' ? { errorCode: w % 2 ? 131050 : 131026 } : { pricing: 'utility' }),
      });
  const bodies = specs.map((s) => statusDelivery(s));
  // The same status items again inside other deliveries: duplicate events across deliveries.
  // Only sent + delivered of one wamid: a failed status carries no contact alone (reference §5.1)
  // but would borrow one in a bundle, and Meta sends an item the same way every time.
  for (let w = 0; w < 60; w += 3)
    bodies.push(statusDelivery(specs[w * 4 + 1] as StatusSpec, specs[w * 4] as StatusSpec));
  for (let i = 0; i < 40; i++)
    bodies.push(
      textDelivery(
        `wamid.SCALEIN${i}`,
        T0 + i,
        `hello ${i}`,
        `4477009${String(i % 20).padStart(5, '0')}`,
        `GB.${i % 20}`,
      ),
    );
  for (let i = 0; i < 20; i++)
    bodies.push(
      preferenceDelivery(
        i % 3 ? 'stop' : 'resume',
        T0 + 100 + i,
        `4477009${String(i).padStart(5, '0')}`,
        `GB.${i}`,
      ),
    );
  return bodies;
}

/** Deterministic shuffle (a fixed LCG): the arrival order differs from the reference run's. */
export function shuffled<T>(xs: readonly T[], seed = 7): T[] {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** The state snapshot's SQL without the outbox (the scale-out runs have no handlers). */
export const SNAPSHOT: Record<string, string> = Object.fromEntries(
  Object.entries(HARNESS_SNAPSHOT).filter(([table]) => table !== 'outbox'),
);

export async function referenceState(bodies: readonly string[]) {
  const h = createHarness();
  try {
    for (const b of bodies) h.add(b);
    await h.drain(50);
    const snap = h.snapshot();
    delete snap['outbox'];
    return snap;
  } finally {
    await h.close();
  }
}
