/**
 * The signed webhook load shared by bench/e2e.ts and bench/forward.ts: status deliveries signed with
 * SECRET, sent over 64 keep-alive connections, each 200 reported with its wamids. Loopback only.
 */
import { Agent, request } from 'node:http';
import { signBody } from '../src/core/verify-signature.js';
import { createLoadBodies } from '../src/simulator/load-bodies.js';
import { serializeLikeMeta } from '../src/simulator/escape-json.js';

export const SECRET = 'bench-secret';
export const TOKEN = 'bench-token';
/** createLoadBodies sends three statuses per delivery (reference §1.5). */
export const EVENTS_PER_DELIVERY = 3;

export const pct = (xs: readonly number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : (s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number);
};
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface LoadResult {
  readonly acks: number[];
  readonly sent: number;
  readonly failures: number;
}

/**
 * Sends signed status deliveries: at `rate` events/s for `seconds`, or (rate 0) `deliveries` of them
 * as fast as 64 keep-alive connections take them. `onAck` gets each delivery's wamids and its 200 time.
 */
export async function load(
  base: string,
  o: { rate: number; seconds: number; deliveries: number; seed: number },
  onAck: (wamids: string[], at: number) => void,
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const next = createLoadBodies({ seed: o.seed, now: Math.floor(Date.now() / 1000) });
  const acks: number[] = [];
  let sent = 0;
  let failures = 0;
  const inflight = new Set<Promise<void>>();
  const send = (i: number) => {
    const delivery = next(i);
    const body = serializeLikeMeta(delivery);
    const wamids = delivery.entry.flatMap((e) =>
      e.changes.flatMap((c) => ((c.value['statuses'] as Array<{ id: string }>) ?? []).map((s) => s.id)),
    );
    const t0 = performance.now();
    const p = new Promise<void>((resolve) => {
      const req = request(`${base}/webhooks/whatsapp`, {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(body, SECRET) },
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => {
          const at = performance.now();
          if (res.statusCode === 200) {
            acks.push(at - t0);
            onAck(wamids, at);
          } else failures++;
          resolve();
        });
      });
      req.on('error', () => (failures++, resolve()));
      req.end(body);
    });
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  };
  const started = performance.now();
  if (o.rate === 0) {
    while (sent < o.deliveries) {
      while (inflight.size < 64 && sent < o.deliveries) send(sent++);
      await Promise.race(inflight);
    }
  } else {
    const perMs = o.rate / EVENTS_PER_DELIVERY / 1000;
    while (performance.now() - started < o.seconds * 1000) {
      const due = Math.floor((performance.now() - started) * perMs);
      while (sent < due) send(sent++);
      await sleep(2);
    }
  }
  await Promise.all([...inflight]);
  agent.destroy();
  return { acks, sent, failures };
}
