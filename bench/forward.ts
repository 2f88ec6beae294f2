/**
 * Forwarding through destinations on SQLite (docs/destinations.md), in one run against one real
 * `wharf start` process, loopback only:
 *   1. the webhook's ack p99 at a steady rate with no destination (the baseline);
 *   2. the same load with an `http` destination to a local keep-alive receiver: ack p99 again, and the
 *      lag from each 200 to the event reaching the receiver;
 *   3. events/s delivered to that HTTP receiver: a burst fills the destination's backlog while it is
 *      held at 1 event/s, then the limit is lifted and the drain is timed (delivery throughput, not
 *      the time to send the burst; the older figure, first to last arrival while sending, is printed too);
 *   4. the same drain to a `nats` destination (JetStream);
 *   5. the same drain to a `mysql` destination (MariaDB, rows written in batches by the sink).
 * Usage: npm run bench:forward [-- --rate 1000 --seconds 10 --burst 30000 --nats nats://127.0.0.1:4222
 *   --mysql mysql://root@127.0.0.1:3306/test --only http,nats,mysql]
 * `--only` runs some of the phases (`http` is 1–3); a figure not taken is not judged.
 * Budget: HTTP ≥ 5,000 events/s, NATS ≥ 20,000 events/s, MySQL ≥ 10,000 events/s, lag p99 ≤ 250 ms at 1,000 events/s,
 * forwarding costs the ack p99 at most 20 %. Exits 1 when a figure is out of budget or incomplete.
 */
import { join } from 'node:path';
import { tempDir } from '../test/helpers/temp-dir.js';
import {
  EVENTS_PER_DELIVERY,
  cpuPerEvent,
  load,
  pct,
  sleep,
  startHttpReceiver,
  startMysqlReceiver,
  startNatsReceiver,
  startWharf,
  type Arrivals,
  type WharfProcess,
} from './forward-parts.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const rate = Number(arg('rate', '1000'));
const seconds = Number(arg('seconds', '10'));
const burstEvents = Number(arg('burst', '30000'));
const natsUrl = arg('nats', 'nats://127.0.0.1:4222');
const mysqlUrl = arg('mysql', 'mysql://root@127.0.0.1:3306/test');
const PHASES = ['http', 'nats', 'mysql'] as const;
const only = new Set(arg('only', PHASES.join(',')).split(','));
/** How long a phase may wait for its last events before it is reported incomplete. */
const DRAIN_MS = 60_000;
const BUDGET = { httpPerS: 5000, natsPerS: 20_000, mysqlPerS: 10_000, lagP99Ms: 250, ackCost: 0.2 };

const f = (x: number) => x.toFixed(1);

async function createDestination(w: WharfProcess, body: Record<string, unknown>): Promise<string> {
  const r = await w.api('POST', '/api/v1/destinations', body);
  if (r.status !== 201)
    throw new Error(`creating ${String(body['name'])}: ${r.status} ${JSON.stringify(r.json)}`);
  return String((r.json as { id: string }).id);
}

/** Waits until `count` events have arrived (or DRAIN_MS passed); returns how many did. */
async function drained(arrivals: Arrivals, count: number): Promise<number> {
  const deadline = performance.now() + DRAIN_MS;
  while (arrivals.size < count && performance.now() < deadline) await sleep(20);
  return arrivals.size;
}

/** Sum of `wharf_destination_backlog` (pending rows of destinations) from /metrics. */
async function backlog(w: WharfProcess): Promise<number> {
  const text = await fetch(`${w.base}/metrics`).then((r) => r.text());
  return [...text.matchAll(/^wharf_destination_backlog\{[^}]*\} (\d+)/gm)].reduce(
    (sum, m) => sum + Number(m[1]),
    0,
  );
}

/**
 * A burst of `burstEvents` events. `sentPerS`: events/s from the first arrival to the last while
 * the burst is still being sent (the figure printed before; it includes sending the burst).
 * `drainPerS`, the delivery throughput: the destination is held at 1 event/s while the burst fills
 * its backlog, then the limit is lifted and the drain of the whole backlog is timed.
 */
async function burst(w: WharfProcess, arrivals: Arrivals, destinationId: string, seed: number) {
  const deliveries = Math.ceil(burstEvents / EVENTS_PER_DELIVERY);
  let expected = 0;
  const sent = await load(w.base, { rate: 0, seconds: 0, deliveries, seed }, (wamids) => {
    expected += wamids.length;
  });
  const fillDeadline = performance.now() + DRAIN_MS;
  while ((await backlog(w)) + arrivals.size < expected && performance.now() < fillDeadline) await sleep(50);
  const before = arrivals.size;
  const start = performance.now();
  const cpu0 = w.cpu();
  await w.api('PATCH', `/api/v1/destinations/${destinationId}`, { rate_limit_per_second: null });
  const got = await drained(arrivals, expected);
  const cpu1 = w.cpu();
  const last = Math.max(...arrivals.values());
  const n = Math.max(1, got - before);
  // CPU per delivered event: the main thread's bounds the drain rate whatever else runs on the machine.
  const cpu = cpuPerEvent(cpu0, cpu1, n);
  return { expected, got, drainPerS: n / ((last - start) / 1000), failures: sent.failures, cpu };
}

/** The burst as measured before (first to last arrival while sending): kept as a second line. */
async function sentBurst(w: WharfProcess, arrivals: Arrivals, seed: number) {
  const deliveries = Math.ceil(burstEvents / EVENTS_PER_DELIVERY);
  let expected = 0;
  await load(w.base, { rate: 0, seconds: 0, deliveries, seed }, (wamids) => {
    expected += wamids.length;
  });
  const got = await drained(arrivals, expected);
  const times = [...arrivals.values()];
  return { got, expected, perS: got / ((Math.max(...times) - Math.min(...times)) / 1000) };
}

async function steady(w: WharfProcess, arrivals: Arrivals | null, seed: number) {
  const ackedAt = new Map<string, number>();
  const r = await load(w.base, { rate, seconds, deliveries: 0, seed }, (wamids, at) =>
    wamids.forEach((m) => ackedAt.set(m, at)),
  );
  if (arrivals === null) return { ...r, lags: [] as number[], missing: 0 };
  await drained(arrivals, ackedAt.size);
  // The receiver can win the race against the 200 reaching the sender: that is a lag of 0.
  const lags = [...ackedAt].flatMap(([m, at]) => {
    const got = arrivals.get(m);
    return got === undefined ? [] : [Math.max(0, got - at)];
  });
  return { ...r, lags, missing: ackedAt.size - lags.length };
}

const cpuText = (c: ReturnType<typeof cpuPerEvent>) =>
  `CPU per event ${f(c.mainUs)} µs main thread, ${f(c.totalUs)} µs all threads (busiest others ${c.othersUs.map(f).join(', ')})`;

/** Steps 1–3: ack p99 and lag at a steady rate, then the http burst and drain. */
async function httpPhase(wharf: WharfProcess, verdicts: [string, boolean][]) {
  const base = await steady(wharf, null, 2);
  const lagArrivals: Arrivals = new Map();
  const receiver = await startHttpReceiver(lagArrivals);
  const httpId = await createDestination(wharf, { name: 'bench-http', kind: 'http', url: receiver.url });
  const fwd = await steady(wharf, lagArrivals, 3);
  const [ack0, ack1, lag] = [pct(base.acks, 99), pct(fwd.acks, 99), pct(fwd.lags, 99)];
  console.log(
    `ack p99 without forwarding ${f(ack0)} ms, with an http destination ${f(ack1)} ms (${f((ack1 / ack0 - 1) * 100)} %)`,
  );
  console.log(
    `lag 200 → received at ${rate} events/s: p50 ${f(pct(fwd.lags, 50))} ms, p99 ${f(lag)} ms, max ${f(pct(fwd.lags, 100))} ms; ${fwd.missing} never arrived`,
  );
  verdicts.push([`lag p99 ≤ ${BUDGET.lagP99Ms} ms`, lag <= BUDGET.lagP99Ms && fwd.missing === 0]);
  verdicts.push([
    `forwarding costs the ack p99 ≤ ${BUDGET.ackCost * 100} %`,
    ack1 <= ack0 * (1 + BUDGET.ackCost),
  ]);

  lagArrivals.clear();
  const whileSent = await sentBurst(wharf, lagArrivals, 4);
  console.log(
    `http, first to last arrival while the burst is sent: ${f(whileSent.perS)} events/s (${whileSent.got} of ${whileSent.expected})`,
  );
  await wharf.api('DELETE', `/api/v1/destinations/${httpId}`);
  lagArrivals.clear();
  const drainId = await createDestination(wharf, {
    name: 'bench-http-drain',
    kind: 'http',
    url: receiver.url,
    rate_limit_per_second: 1,
  });
  const http = await burst(wharf, lagArrivals, drainId, 6);
  console.log(
    `http, draining a backlog: ${f(http.drainPerS)} events/s (${http.got} of ${http.expected} arrived, ${http.failures} failed POSTs); ${cpuText(http.cpu)}`,
  );
  verdicts.push([
    `http ≥ ${BUDGET.httpPerS} events/s`,
    http.drainPerS >= BUDGET.httpPerS && http.got === http.expected,
  ]);
  await wharf.api('DELETE', `/api/v1/destinations/${drainId}`);
  await receiver.close();
}

/** Step 4: the drain to a nats destination. */
async function natsPhase(wharf: WharfProcess, verdicts: [string, boolean][]) {
  const natsArrivals: Arrivals = new Map();
  const prefix = `bench-forward-${process.pid}`;
  const nats = await startNatsReceiver(natsUrl, prefix, natsArrivals);
  const natsId = await createDestination(wharf, {
    name: 'bench-nats',
    kind: 'nats',
    url: natsUrl,
    subject: `${prefix}.{name}`,
    rate_limit_per_second: 1,
  });
  const bus = await burst(wharf, natsArrivals, natsId, 5);
  await nats.close();
  await wharf.api('DELETE', `/api/v1/destinations/${natsId}`);
  console.log(
    `nats, draining a backlog: ${f(bus.drainPerS)} events/s (${bus.got} of ${bus.expected} arrived, ${bus.failures} failed POSTs); ${cpuText(bus.cpu)}`,
  );
  verdicts.push([
    `nats ≥ ${BUDGET.natsPerS} events/s`,
    bus.drainPerS >= BUDGET.natsPerS && bus.got === bus.expected,
  ]);
}

/** Step 5: the drain to a mysql destination. */
async function mysqlPhase(wharf: WharfProcess, verdicts: [string, boolean][]) {
  const rows: Arrivals = new Map();
  const db = await startMysqlReceiver(mysqlUrl, rows);
  try {
    // max_in_flight is the sink's default (500): up to that many rows per INSERT.
    const mysqlId = await createDestination(wharf, {
      name: 'bench-mysql',
      kind: 'mysql',
      url: db.url,
      table: db.table,
      rate_limit_per_second: 1,
    });
    const sink = await burst(wharf, rows, mysqlId, 7);
    await wharf.api('DELETE', `/api/v1/destinations/${mysqlId}`);
    console.log(
      `mysql (MariaDB), draining a backlog: ${f(sink.drainPerS)} events/s (${sink.got} of ${sink.expected} rows, ${sink.failures} failed POSTs); ${cpuText(sink.cpu)}`,
    );
    verdicts.push([
      `mysql ≥ ${BUDGET.mysqlPerS} events/s`,
      sink.drainPerS >= BUDGET.mysqlPerS && sink.got === sink.expected,
    ]);
  } finally {
    await db.close();
  }
}

const dir = tempDir('wharf-forward-');
const wharf = await startWharf(join(dir.path, 'forward.db'));
const verdicts: [string, boolean][] = [];
try {
  console.log(
    `node ${process.version}; steady ${rate} events/s for ${seconds} s; bursts of ${burstEvents} events`,
  );
  await load(wharf.base, { rate: 0, seconds: 0, deliveries: 300, seed: 1 }, () => undefined); // warm-up
  if (only.has('http')) await httpPhase(wharf, verdicts);
  if (only.has('nats')) await natsPhase(wharf, verdicts);
  if (only.has('mysql')) await mysqlPhase(wharf, verdicts);
} finally {
  await wharf.stop();
  dir.cleanup();
}
for (const [what, ok] of verdicts) console.log(`${ok ? 'pass' : 'FAIL'}  ${what}`);
const expected = PHASES.filter((p) => only.has(p)).length + (only.has('http') ? 2 : 0);
if (verdicts.length < expected || verdicts.some(([, ok]) => !ok)) process.exitCode = 1;
