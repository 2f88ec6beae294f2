/**
 * Parse + normalize throughput on one core, over the fixture mix (fixtures/payloads/**).
 * Usage: npm run bench:parse [-- --seconds 3]
 *
 * Three workloads, each warmed up and then timed for `--seconds`:
 *   all fixtures     every fixture once per round (the 1,000-status delivery included)
 *   small deliveries every fixture except the 1,000-status one (per-delivery overhead dominates)
 *   1,000 statuses   the largest batch Meta sends (reference §1.5)
 * Input is raw bytes (Buffer), as the processor reads them from the inbox. Budget: ≥ 200,000 events/s
 * on the "all fixtures" mix; the process exits 1 when below it.
 */
import { parseDelivery } from '../src/core/parse-delivery.js';
import { normalizeDelivery } from '../src/core/normalize-delivery.js';
import { fixtureBytes, fixturePaths } from '../test/helpers/fixtures.js';

const BUDGET = 200_000;
const argIndex = process.argv.indexOf('--seconds');
const seconds = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 3;

interface Result {
  readonly name: string;
  readonly events: number;
  readonly deliveries: number;
  readonly bytes: number;
  readonly ms: number;
}

function round(bodies: readonly Buffer[]): number {
  let events = 0;
  for (const body of bodies) {
    const parsed = parseDelivery(body);
    if (parsed.ok) events += normalizeDelivery(parsed.envelope).length;
  }
  return events;
}

function measure(name: string, bodies: readonly Buffer[]): Result {
  const size = bodies.reduce((n, b) => n + b.length, 0);
  const warmupEnd = performance.now() + 1000;
  while (performance.now() < warmupEnd) round(bodies);
  let events = 0;
  let rounds = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    events += round(bodies);
    rounds++;
  }
  const ms = performance.now() - start;
  return { name, events, deliveries: rounds * bodies.length, bytes: rounds * size, ms };
}

const paths = fixturePaths();
const all = paths.map(fixtureBytes);
const small = paths.filter((p) => !p.includes('batch-1000')).map(fixtureBytes);
const big = paths.filter((p) => p.includes('batch-1000')).map(fixtureBytes);

const results = [
  measure('all fixtures', all),
  measure('small deliveries', small),
  measure('1,000 statuses', big),
];

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(
  `node ${process.version}, ${process.platform}/${process.arch}, ${seconds}s per workload, one process`,
);
console.log('workload          | events/s   | deliveries/s | MB/s');
for (const r of results) {
  const s = r.ms / 1000;
  console.log(
    `${r.name.padEnd(17)} | ${fmt(r.events / s).padStart(10)} | ${fmt(r.deliveries / s).padStart(12)} | ${(r.bytes / s / 1e6).toFixed(1)}`,
  );
}
const headline = (results[0] as Result).events / ((results[0] as Result).ms / 1000);
const ok = headline >= BUDGET;
console.log(`budget ≥ ${fmt(BUDGET)} events/s on "all fixtures": ${ok ? 'PASS' : 'FAIL'} (${fmt(headline)})`);
process.exitCode = ok ? 0 : 1;
