/**
 * The machines these benchmarks run on are virtual machines whose memory the host backs lazily: the
 * first touch of each 4 KB page of guest memory after a boot costs ~12 µs, later ones 1.5 – 1.8 µs
 * (2026-12-07: 20 GB touched in 69 s, 65 s of it system time; then a 256 MB buffer filled at
 * 1.5 – 1.8 µs a page). The page cache grows into such pages, and Wharf's SQLite writes put ~5 KB a
 * request into it (WAL frames, then the database file at the checkpoint) against ~1.5 KB for the
 * minimal durable receiver: on one machine, `bench:ingest` measured Wharf at 13,265 – 16,684 req/s
 * before and 17,594 – 20,416 after (its inbox writer 20.7 – 24.1 → 14.3 – 16.2 µs a request, the
 * checkpointer 4.9 – 8.6 → 1.6 – 1.9), the receiver 20,698 – 24,610 and 26,126 – 27,929
 * (docs/benchmarks.md "The machine").
 *
 * So the benchmarks first time a fresh page and, when it is cold, touch the free memory once. Both
 * run in child processes, so the benchmark's own heap keeps none of it. BENCH_NO_WARM=1 skips both.
 * A failure only warns: the figures that follow are then the machine's as it is.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** µs per page above which memory counts as cold: warm pages cost 1.5 – 1.8, cold ones ~12. */
const COLD_US = 4;
/** Memory left untouched for the rest of the machine. */
const SPARE_BYTES = 1.5 * 2 ** 30;
const CHUNK = 256 * 2 ** 20;

/**
 * A child that times one fresh page (a 256 MiB buffer filled once) and, given `chunks` > 0 and a
 * cold page, then fills that many more 256 MiB buffers, kept until it exits. Prints
 * {"us": <µs a page>, "touched": <chunks filled>}.
 */
const childSource = (chunks: number) => `
const bytes = ${CHUNK};
const t = process.hrtime.bigint();
Buffer.allocUnsafeSlow(bytes).fill(1);
const us = Number(process.hrtime.bigint() - t) / 1000 / (bytes / 4096);
const kept = [];
if (us > ${COLD_US}) for (let i = 0; i < ${chunks}; i++) kept.push(Buffer.allocUnsafeSlow(bytes).fill(1));
console.log(JSON.stringify({ us, touched: kept.length }));`;

function runChild(chunks: number): { us: number; touched: number } | string {
  const r = spawnSync(process.execPath, ['-e', childSource(chunks)], { encoding: 'utf8' });
  if (r.status === 0) return JSON.parse(r.stdout) as { us: number; touched: number };
  return r.error?.message ?? `exit ${r.status ?? `on ${r.signal}`}: ${r.stderr.trim().slice(-300)}`;
}

function availableBytes(): number {
  const m = /^MemAvailable:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/** Prints one line: what a fresh page cost, and what warming (if it ran) touched and took. */
export function warmMemory(): void {
  if (process.env['BENCH_NO_WARM'] === '1') return;
  const chunks = Math.max(0, Math.floor((availableBytes() - SPARE_BYTES) / CHUNK));
  const started = performance.now();
  const first = runChild(chunks);
  if (typeof first === 'string') {
    console.log(`memory: could not time a fresh page (${first}); going on without warming it`);
    return;
  }
  if (first.us <= COLD_US) {
    console.log(`memory: a fresh page costs ${first.us.toFixed(1)} µs (warm)`);
    return;
  }
  if (first.touched === 0) {
    console.log(
      `memory: a fresh page costs ${first.us.toFixed(1)} µs (cold); too little free memory to warm it, figures will be low`,
    );
    return;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  const after = runChild(0);
  console.log(
    `memory: a fresh page cost ${first.us.toFixed(1)} µs (cold): touched ${((first.touched * CHUNK) / 2 ** 30).toFixed(1)} GiB in ${seconds} s, now ${typeof after === 'string' ? `not timed (${after})` : `${after.us.toFixed(1)} µs`}`,
  );
}
