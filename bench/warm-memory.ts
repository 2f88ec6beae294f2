/**
 * The machines these benchmarks run on are virtual machines whose memory the host backs lazily: the
 * first touch of each 4 KB page of guest memory after a boot costs ~12 µs, later ones ~1.5 µs
 * (2026-12-07: 20 GB touched in 65 s of system time, then 4 GB in 2.6 s). The page cache grows into
 * such pages, and Wharf's SQLite writes put ~5 KB a request into it (WAL frames, then the database
 * file at the checkpoint) against ~1.5 KB for the minimal durable receiver: on one machine,
 * `bench:ingest` measured Wharf at 13,265 – 16,684 req/s before and 17,594 – 20,416 after (its
 * inbox writer 20.7 – 24.1 → 14.3 – 16.2 µs a request, the checkpointer 4.9 – 8.6 → 1.6 – 1.9), the
 * receiver 20,698 – 24,610 and 26,126 – 27,929 (docs/benchmarks.md "The machine").
 *
 * So the benchmarks first time a fresh page and, when it is cold, touch the free memory once, in a
 * child process (released when it exits). BENCH_NO_WARM=1 skips both.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const PAGE = 4096;
/** µs per page above which memory counts as cold: warm pages cost 1.5 – 1.8, cold ones ~12. */
const COLD_US = 4;
/** Memory left untouched for the rest of the machine. */
const SPARE_BYTES = 1.5 * 2 ** 30;
const CHUNK = 2 ** 30;

/** µs to get and write one fresh 4 KB page of this process's memory (a 256 MB buffer, filled once). */
export function freshPageUs(): number {
  const bytes = 256 * 2 ** 20;
  const started = process.hrtime.bigint();
  Buffer.allocUnsafeSlow(bytes).fill(1);
  return Number(process.hrtime.bigint() - started) / 1000 / (bytes / PAGE);
}

function availableBytes(): number {
  const m = /^MemAvailable:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/** Prints one line: what a fresh page cost, and what warming (if it ran) touched and took. */
export function warmMemory(): void {
  if (process.env['BENCH_NO_WARM'] === '1') return;
  const before = freshPageUs();
  if (before <= COLD_US) {
    console.log(`memory: a fresh page costs ${before.toFixed(1)} µs (warm)`);
    return;
  }
  const chunks = Math.max(0, Math.floor((availableBytes() - SPARE_BYTES) / CHUNK));
  const started = performance.now();
  const child = spawnSync(
    process.execPath,
    ['-e', `const k=[];for(let i=0;i<${chunks};i++)k.push(Buffer.allocUnsafeSlow(${CHUNK}).fill(1));`],
    { stdio: 'inherit' },
  );
  if (child.status !== 0) throw new Error(`warming memory failed: ${child.error?.message ?? child.status}`);
  const after = freshPageUs();
  console.log(
    `memory: a fresh page cost ${before.toFixed(1)} µs (cold): touched ${chunks} GB in ${((performance.now() - started) / 1000).toFixed(0)} s, now ${after.toFixed(1)} µs`,
  );
}
