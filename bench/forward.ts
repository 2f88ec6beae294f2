/**
 * Forwarding through destinations on SQLite (docs/destinations.md), in one run against one real
 * `wharf start` process, loopback only:
 *   1–2. the webhook's ack p99 at a steady rate without a destination and with an `http` destination to
 *      a local keep-alive receiver, in `--pairs` pairs of `--seconds` windows alternating without/with
 *      (ABBA: with first in every second pair, so a drift over the run cancels out), each window's
 *      p99 taken client-side (each POST's 200 as the sender sees it) and server-side
 *      (wharf_ack_latency_seconds{status="200"} scraped around the window, interpolated in its
 *      buckets); reported per pair with its ratio, the median of the ratios and the ratio of the
 *      p99s pooled over all windows of each kind; and the lag from each 200 to the event reaching
 *      the receiver;
 *   3. events/s delivered to that HTTP receiver: a burst fills the destination's backlog while it is
 *      held at 1 event/s, then the limit is lifted and the drain is timed (delivery throughput, not
 *      the time to send the burst; the older figure, first to last arrival while sending, is printed too);
 *      each drain also prints its second half alone (rate and CPU per event once the JIT has
 *      compiled the dispatch path: a 10,000-event drain is short enough to feel that one-off work);
 *   4. the same drain to a `nats` destination (JetStream);
 *   5. the same drain to a `mysql` destination (MariaDB, rows written in batches by the sink).
 * `--warmup <n>` (default 0: none) runs a first drain of n events through the same destination
 * before each measured drain of 3–5 and prints it too: how much of a drain is the JIT's warm-up.
 * Usage: npm run bench:forward [-- --rate 1000 --seconds 10 --pairs 5 --burst 30000 --warmup 10000
 *   --nats nats://127.0.0.1:4222 --mysql mysql://root@127.0.0.1:3306/test --only http,nats,mysql]
 * Steps 1–2 take 2 × pairs × seconds of load (100 s by default).
 * `--only` runs some of the phases (`ack` is 1–2, `http` is 3); a figure not taken is not judged.
 * Budget: HTTP ≥ 5,000 events/s, NATS ≥ 20,000 events/s, MySQL ≥ 10,000 events/s, lag p99 ≤ 250 ms at 1,000 events/s,
 * forwarding costs the ack p99 at most 20 % (judged on the server-side p99s pooled over all windows).
 * Exits 1 when a figure is out of budget or incomplete.
 */
import { join } from 'node:path';
import { tempDir } from '../test/helpers/temp-dir.js';
import { bucketsBetween, parseAckBuckets, pooled, summarize } from './ack-histogram.js';
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
  type CpuSample,
  type WharfProcess,
} from './forward-parts.js';
import { warmMemory } from './warm-memory.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const rate = Number(arg('rate', '1000'));
const seconds = Number(arg('seconds', '10'));
const pairs = Number(arg('pairs', '5'));
const burstEvents = Number(arg('burst', '30000'));
const warmupEvents = Number(arg('warmup', '0'));
const natsUrl = arg('nats', 'nats://127.0.0.1:4222');
const mysqlUrl = arg('mysql', 'mysql://root@127.0.0.1:3306/test');
const PHASES = ['ack', 'http', 'nats', 'mysql'] as const;
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
 * The main thread's heap and collections as Wharf's /metrics has them (prom-client's default
 * metrics): bytes used in the old and large-object spaces, and the collections' count and seconds
 * by kind (minor = scavenges, major = mark-compact, incremental = marking steps).
 */
async function heapOf(w: WharfProcess) {
  const text = await fetch(`${w.base}/metrics`).then((r) => r.text());
  const value = (re: RegExp) => Number(re.exec(text)?.[1] ?? NaN);
  const gc = (kind: string) => ({
    count: value(new RegExp(`^wharf_nodejs_gc_duration_seconds_count\\{kind="${kind}"\\} (\\S+)$`, 'm')),
    seconds: value(new RegExp(`^wharf_nodejs_gc_duration_seconds_sum\\{kind="${kind}"\\} (\\S+)$`, 'm')),
  });
  return {
    oldBytes: value(/^wharf_nodejs_heap_space_size_used_bytes\{space="old"\} (\S+)$/m),
    largeBytes: value(/^wharf_nodejs_heap_space_size_used_bytes\{space="large_object"\} (\S+)$/m),
    minor: gc('minor'),
    major: gc('major'),
  };
}
type HeapSample = Awaited<ReturnType<typeof heapOf>>;

/**
 * What the drain did to the main thread's heap: the growth of its old and large-object spaces per
 * event (a mark-compact in the drain lowers them) and the collections.
 */
const heapText = (a: HeapSample, b: HeapSample, events: number) => {
  const ms = (x: number) => f(1000 * x);
  const kb = (x: number) => f(x / 1024 / Math.max(1, events));
  return `main thread's heap: old space ${kb(b.oldBytes - a.oldBytes)}, large-object space ${kb(b.largeBytes - a.largeBytes)} KB per event; scavenges ${b.minor.count - a.minor.count} (${ms(b.minor.seconds - a.minor.seconds)} ms), mark-compacts ${b.major.count - a.major.count} (${ms(b.major.seconds - a.major.seconds)} ms)`;
};

/**
 * A burst of `burstEvents` events. `sentPerS`: events/s from the first arrival to the last while
 * the burst is still being sent (the figure printed before; it includes sending the burst).
 * `drainPerS`, the delivery throughput: the destination is held at 1 event/s while the burst fills
 * its backlog, then the limit is lifted and the drain of the whole backlog is timed.
 */
async function burst(
  w: WharfProcess,
  arrivals: Arrivals,
  destinationId: string,
  seed: number,
  events = burstEvents,
) {
  const deliveries = Math.ceil(events / EVENTS_PER_DELIVERY);
  let expected = 0;
  const sent = await load(w.base, { rate: 0, seconds: 0, deliveries, seed }, (wamids) => {
    expected += wamids.length;
  });
  const fillDeadline = performance.now() + DRAIN_MS;
  while ((await backlog(w)) + arrivals.size < expected && performance.now() < fillDeadline) await sleep(50);
  const before = arrivals.size;
  const start = performance.now();
  const heap0 = await heapOf(w);
  const cpu0 = w.cpu();
  await w.api('PATCH', `/api/v1/destinations/${destinationId}`, { rate_limit_per_second: null });
  // The second half of the drain on its own: a short drain is partly the JIT compiling the
  // dispatch path for the first time; its second half shows the rate once that is done.
  const deadline = performance.now() + DRAIN_MS;
  let half: { cpu: CpuSample; arrived: number } | undefined;
  while (arrivals.size < expected && performance.now() < deadline) {
    if (!half && arrivals.size - before >= (expected - before) / 2)
      half = { cpu: w.cpu(), arrived: arrivals.size };
    await sleep(20);
  }
  const got = arrivals.size;
  const cpu1 = w.cpu();
  const times = [...arrivals.values()].filter((t) => t >= start).sort((a, b) => a - b);
  const last = Math.max(...arrivals.values());
  const n = Math.max(1, got - before);
  // CPU per event: the main thread's bounds the drain rate whatever else runs on the machine.
  const cpu = cpuPerEvent(cpu0, cpu1, n);
  const k = half ? half.arrived - before : 0;
  const secondHalf = half
    ? {
        perS: (got - half.arrived) / ((last - (times[k - 1] ?? start)) / 1000),
        cpu: cpuPerEvent(half.cpu, cpu1, got - half.arrived),
      }
    : undefined;
  const heap = heapText(heap0, await heapOf(w), n);
  return {
    expected,
    got,
    drainPerS: n / ((last - start) / 1000),
    failures: sent.failures,
    cpu,
    secondHalf,
    heap,
  };
}

/**
 * The measured drain of `burstEvents`, after `--warmup` events drained through the same destination
 * (printed on a line of their own): the destination is held at 1 event/s again between the two.
 */
async function warmBurst(
  kind: string,
  w: WharfProcess,
  arrivals: Arrivals,
  destinationId: string,
  seed: number,
) {
  if (warmupEvents > 0) {
    const warm = await burst(w, arrivals, destinationId, seed + 50, warmupEvents);
    console.log(
      `${kind}, warm-up drain of ${warmupEvents} events: ${f(warm.drainPerS)} events/s (${warm.got} of ${warm.expected} arrived); ${cpuText(warm.cpu)}`,
    );
    await w.api('PATCH', `/api/v1/destinations/${destinationId}`, { rate_limit_per_second: 1 });
    arrivals.clear();
  }
  return burst(w, arrivals, destinationId, seed);
}

/** The drain's second half, as a line of its own. */
const secondHalfText = (kind: string, d: Awaited<ReturnType<typeof burst>>) =>
  d.secondHalf
    ? `${kind}, the drain's second half: ${f(d.secondHalf.perS)} events/s; ${cpuText(d.secondHalf.cpu)}`
    : `${kind}: the drain never reached its second half`;

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

/** wharf_ack_latency_seconds{status="200"} and the group commit's count and total seconds, as they stand. */
async function scrape(w: WharfProcess) {
  const text = await fetch(`${w.base}/metrics`).then((r) => r.text());
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    ack: parseAckBuckets(text).get('200') ?? [],
    commits: value('wharf_group_commit_seconds_count'),
    commitSeconds: value('wharf_group_commit_seconds_sum'),
    // prom-client's event-loop delay histogram restarts at each scrape: the "after" one covers the window.
    loopP99Ms: 1000 * value('wharf_nodejs_eventloop_lag_p99_seconds'),
    loopMaxMs: 1000 * value('wharf_nodejs_eventloop_lag_max_seconds'),
    cpu: w.cpu(),
  };
}

/**
 * One steady window: the client's acks, the server's histogram of the 200s answered in it, the mean
 * group commit (a dispatch thread holding SQLite's write lock would lengthen it), the CPU per
 * event of the main thread and of all threads, and Wharf's event-loop delay over the window.
 */
async function ackWindow(w: WharfProcess, arrivals: Arrivals | null, seed: number) {
  const before = await scrape(w);
  const r = await steady(w, arrivals, seed);
  // The load waited for every answer: nothing is answered between its end and this scrape.
  const after = await scrape(w);
  return {
    ...r,
    server: bucketsBetween(before.ack, after.ack),
    commitMs: (1000 * (after.commitSeconds - before.commitSeconds)) / (after.commits - before.commits),
    loopP99Ms: after.loopP99Ms,
    loopMaxMs: after.loopMaxMs,
    cpu: cpuPerEvent(before.cpu, after.cpu, r.sent * EVENTS_PER_DELIVERY),
  };
}
type AckWindow = Awaited<ReturnType<typeof ackWindow>>;

const median = (xs: readonly number[]) => pct(xs, 50);
const ratioText = (r: number) => `${r >= 1 ? '+' : ''}${f((r - 1) * 100)} %`;

/**
 * Steps 1–2: ack p99 without and with an http destination in alternating windows, and the lag.
 * Without = no destination at all: each "with" window creates the destination and deletes it once
 * every event of the window has arrived.
 */
async function ackCost(
  wharf: WharfProcess,
  receiverUrl: string,
  arrivals: Arrivals,
  verdicts: [string, boolean][],
) {
  const off: AckWindow[] = [];
  const on: AckWindow[] = [];
  let seed = 100;
  console.log(
    `\nack p99 at ${rate} events/s, ${pairs} pairs of ${seconds} s windows without / with an http destination (ABBA order)`,
  );
  console.log(
    '| pair | order | client p99 ms without / with | ratio | server p99 ms without / with | ratio |',
  );
  console.log('|---|---|---:|---:|---:|---:|');
  for (let i = 0; i < pairs; i++) {
    const withFirst = i % 2 === 1;
    let a: AckWindow | undefined;
    let b: AckWindow | undefined;
    for (const forwarding of withFirst ? [true, false] : [false, true]) {
      if (!forwarding) {
        a = await ackWindow(wharf, null, seed++);
        continue;
      }
      const id = await createDestination(wharf, { name: `bench-http-${i}`, kind: 'http', url: receiverUrl });
      arrivals.clear();
      b = await ackWindow(wharf, arrivals, seed++);
      await wharf.api('DELETE', `/api/v1/destinations/${id}`);
    }
    off.push(a!);
    on.push(b!);
    const [c0, c1] = [pct(a!.acks, 99), pct(b!.acks, 99)];
    const [s0, s1] = [summarize(a!.server).p99.ms, summarize(b!.server).p99.ms];
    console.log(
      `| ${i + 1} | ${withFirst ? 'with first' : 'without first'} | ${f(c0)} / ${f(c1)} | ${ratioText(c1 / c0)} | ${f(s0)} / ${f(s1)} | ${ratioText(s1 / s0)} |`,
    );
  }
  const clientRatios = off.map((a, i) => pct(on[i]!.acks, 99) / pct(a.acks, 99));
  const serverRatios = off.map((a, i) => summarize(on[i]!.server).p99.ms / summarize(a.server).p99.ms);
  const [pc0, pc1] = [
    pct(
      off.flatMap((w) => w.acks),
      99,
    ),
    pct(
      on.flatMap((w) => w.acks),
      99,
    ),
  ];
  const [ps0, ps1] = [
    summarize(pooled(off.map((w) => w.server))),
    summarize(pooled(on.map((w) => w.server))),
  ];
  console.log(
    `median of the ratios: client ${ratioText(median(clientRatios))}, server ${ratioText(median(serverRatios))}`,
  );
  console.log(
    `pooled over all windows: client p99 ${f(pc0)} / ${f(pc1)} ms (${ratioText(pc1 / pc0)}), server p99 ${f(ps0.p99.ms)} (${ps0.p99.bucket}) / ${f(ps1.p99.ms)} (${ps1.p99.bucket}) ms (${ratioText(ps1.p99.ms / ps0.p99.ms)}); server p50 ${f(ps0.p50.ms)} / ${f(ps1.p50.ms)} ms; ${ps0.total} / ${ps1.total} answers`,
  );
  const mean = (ws: AckWindow[], pick: (w: AckWindow) => number) =>
    ws.reduce((n, w) => n + pick(w), 0) / ws.length;
  console.log(
    `mean group commit ${f(mean(off, (w) => w.commitMs))} / ${f(mean(on, (w) => w.commitMs))} ms; CPU per event (µs, windows with the wait for arrivals): main thread ${f(mean(off, (w) => w.cpu.mainUs))} / ${f(mean(on, (w) => w.cpu.mainUs))}, all threads ${f(mean(off, (w) => w.cpu.totalUs))} / ${f(mean(on, (w) => w.cpu.totalUs))}`,
  );
  console.log(
    `Wharf's event-loop delay (main thread; the webhooks' reads and answers wait it out), mean of the windows: p99 ${f(mean(off, (w) => w.loopP99Ms))} / ${f(mean(on, (w) => w.loopP99Ms))} ms, max ${f(mean(off, (w) => w.loopMaxMs))} / ${f(mean(on, (w) => w.loopMaxMs))} ms`,
  );
  const lags = on.flatMap((w) => w.lags);
  const missing = on.reduce((n, w) => n + w.missing, 0);
  const lag = pct(lags, 99);
  console.log(
    `lag 200 → received at ${rate} events/s, all "with" windows: p50 ${f(pct(lags, 50))} ms, p99 ${f(lag)} ms, max ${f(pct(lags, 100))} ms; ${missing} never arrived`,
  );
  verdicts.push([`lag p99 ≤ ${BUDGET.lagP99Ms} ms`, lag <= BUDGET.lagP99Ms && missing === 0]);
  verdicts.push([
    `forwarding costs the ack p99 ≤ ${BUDGET.ackCost * 100} % (server-side, pooled: ${ratioText(ps1.p99.ms / ps0.p99.ms)})`,
    ps1.p99.ms <= ps0.p99.ms * (1 + BUDGET.ackCost),
  ]);
}

/** Steps 1–2: the ack cost of forwarding and the lag at a steady rate. */
async function ackPhase(wharf: WharfProcess, verdicts: [string, boolean][]) {
  const arrivals: Arrivals = new Map();
  const receiver = await startHttpReceiver(arrivals);
  try {
    await ackCost(wharf, receiver.url, arrivals, verdicts);
  } finally {
    await receiver.close();
  }
}

/** Step 3: the http burst and drain. */
async function httpPhase(wharf: WharfProcess, verdicts: [string, boolean][]) {
  const lagArrivals: Arrivals = new Map();
  const receiver = await startHttpReceiver(lagArrivals);
  const httpId = await createDestination(wharf, { name: 'bench-http', kind: 'http', url: receiver.url });
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
  const http = await warmBurst('http', wharf, lagArrivals, drainId, 6);
  console.log(
    `http, draining a backlog: ${f(http.drainPerS)} events/s (${http.got} of ${http.expected} arrived, ${http.failures} failed POSTs); ${cpuText(http.cpu)}`,
  );
  console.log(secondHalfText('http', http));
  console.log(`http, the drain's ${http.heap}`);
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
  const bus = await warmBurst('nats', wharf, natsArrivals, natsId, 5);
  await nats.close();
  await wharf.api('DELETE', `/api/v1/destinations/${natsId}`);
  console.log(
    `nats, draining a backlog: ${f(bus.drainPerS)} events/s (${bus.got} of ${bus.expected} arrived, ${bus.failures} failed POSTs); ${cpuText(bus.cpu)}`,
  );
  console.log(secondHalfText('nats', bus));
  console.log(`nats, the drain's ${bus.heap}`);
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
    const sink = await warmBurst('mysql', wharf, rows, mysqlId, 7);
    await wharf.api('DELETE', `/api/v1/destinations/${mysqlId}`);
    console.log(
      `mysql (MariaDB), draining a backlog: ${f(sink.drainPerS)} events/s (${sink.got} of ${sink.expected} rows, ${sink.failures} failed POSTs); ${cpuText(sink.cpu)}`,
    );
    console.log(secondHalfText('mysql', sink));
    console.log(`mysql, the drain's ${sink.heap}`);
    verdicts.push([
      `mysql ≥ ${BUDGET.mysqlPerS} events/s`,
      sink.drainPerS >= BUDGET.mysqlPerS && sink.got === sink.expected,
    ]);
  } finally {
    await db.close();
  }
}

warmMemory();
const dir = tempDir('wharf-forward-');
const wharf = await startWharf(join(dir.path, 'forward.db'), { forwarding: true });
const verdicts: [string, boolean][] = [];
try {
  console.log(
    `node ${process.version}; steady ${rate} events/s, ${pairs} pairs of ${seconds} s windows; bursts of ${burstEvents} events${warmupEvents > 0 ? `, each drain after a warm-up drain of ${warmupEvents}` : ''}`,
  );
  await load(wharf.base, { rate: 0, seconds: 0, deliveries: 300, seed: 1 }, () => undefined); // warm-up
  if (only.has('ack')) await ackPhase(wharf, verdicts);
  if (only.has('http')) await httpPhase(wharf, verdicts);
  if (only.has('nats')) await natsPhase(wharf, verdicts);
  if (only.has('mysql')) await mysqlPhase(wharf, verdicts);
} finally {
  await wharf.stop();
  dir.cleanup();
}
for (const [what, ok] of verdicts) console.log(`${ok ? 'pass' : 'FAIL'}  ${what}`);
const expected = PHASES.filter((p) => only.has(p)).length + (only.has('ack') ? 1 : 0);
if (verdicts.length < expected || verdicts.some(([, ok]) => !ok)) process.exitCode = 1;
