/**
 * The load of the scale-out tests (PostgreSQL and SQLite): a few hundred distinct deliveries sent
 * several times each in a shuffled order, and the state a single process reaches over them.
 */
import { createHarness } from './processing-harness.js';
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

/** Same tables and columns as processing-harness.ts's snapshot. */
export const SNAPSHOT: Record<string, string> = {
  events: `SELECT key, name, field, occurred_at, waba_id, phone_number_id, contact_wa_id, contact_user_id,
    contact_parent_user_id, contact_username, contact_name, wamid, data, raw FROM events ORDER BY key`,
  contacts: 'SELECT * FROM contacts ORDER BY id',
  messages: 'SELECT * FROM messages ORDER BY phone_number_id, wamid',
  message_errors: 'SELECT * FROM message_errors ORDER BY event_key, idx',
  templates: 'SELECT * FROM templates ORDER BY template_key',
  template_history: 'SELECT * FROM template_history ORDER BY event_key',
  phone_numbers: 'SELECT * FROM phone_numbers ORDER BY phone_key',
  account_state: 'SELECT * FROM account_state ORDER BY waba_id, aspect',
};

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
