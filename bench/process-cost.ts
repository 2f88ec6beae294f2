/**
 * A fixed processing run to compare the cost of two versions of the processing path by instruction
 * counts, which stay repeatable on a busy machine where wall-clock events/s do not.
 *
 *   node --import tsx bench/process-cost.ts fill /tmp/wharf-cost.db 4000     # status batches (as bench:process)
 *   node --import tsx bench/process-cost.ts fill /tmp/wharf-cost.db 4000 mix # every scenario in turn
 *   cp /tmp/wharf-cost.db /tmp/run.db && valgrind --tool=callgrind --cache-sim=no \
 *     --callgrind-out-file=/tmp/cg.out node --import tsx bench/process-cost.ts drain /tmp/run.db
 *
 *   node --import tsx bench/process-cost.ts cpu /tmp/wharf-cost.db 3                  # CPU and WAL per event
 *
 * `fill` writes the deliveries (outside the measured process); `drain` processes them all in the
 * calling thread (SqliteProcessingStore, one outbox target that wants every event, batches of
 * 2,000) and prints the events it committed; `drain-threaded` through the writer thread a `role all`
 * process uses (ThreadedProcessingStore: each batch handed over by postMessage). Compare the totals of two drains of copies of the same
 * filled file, and of an empty one (`fill … 0`) for the start-up cost both share. `cpu` drains a fresh
 * copy of the filled file's pristine copy that many times in one process and prints, per event, the
 * CPU time of every thread and of the processing thread alone (clock ticks, so only runs of tens of
 * thousands of events mean anything) and the WAL bytes written (no checkpoint runs): figures other
 * load on the machine moves far less than events/s.
 */
import { copyFileSync, readFileSync, rmSync, statSync } from 'node:fs';
import { fillInbox } from './fill-inbox.js';
import { SqliteProcessingStore } from '../src/adapters/sqlite/processing-store.js';
import { ThreadedProcessingStore } from '../src/adapters/sqlite/threaded-processing-store.js';
import { Processor } from '../src/app/processor.js';
import { createLogger } from '../src/observability/create-logger.js';

const [mode, path, countArg, workload] = process.argv.slice(2);
const MODES = ['fill', 'drain', 'drain-threaded', 'cpu'];
if (mode === undefined || !MODES.includes(mode) || path === undefined) {
  console.error(
    'usage: process-cost.ts fill <db> <deliveries> [mix] | drain <db> | drain-threaded <db> | cpu <db> [runs]',
  );
  process.exit(2);
}

/** One processor draining everything in big batches to a single target that wants every event. */
function drainingProcessor(store: SqliteProcessingStore | ThreadedProcessingStore): Processor {
  return new Processor({
    store,
    targets: [{ id: 'all', wants: () => true }],
    logger: createLogger('silent'),
    batchSize: 2000,
    leaseMs: 60_000,
    targetBatchMs: Infinity,
  });
}

if (mode === 'fill') {
  const count = Number(countArg ?? 4000);
  const db = fillInbox(path, count, workload);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  copyFileSync(path, `${path}.pristine`);
  console.log(`${count} deliveries in ${path} (a copy in ${path}.pristine)`);
} else if (mode === 'cpu') {
  // CPU time of this thread from /proc (user + system, in clock ticks of 10 ms).
  const threadCpuUs = () => {
    const f = (readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1] ?? '').split(' ');
    return (Number(f[11]) + Number(f[12])) * 10_000;
  };
  const run = `${path}.run`;
  for (let r = 0; r < Number(countArg ?? 3); r++) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(run + suffix, { force: true });
    copyFileSync(`${path}.pristine`, run);
    const store = new SqliteProcessingStore(run, { backgroundCheckpoints: true });
    const processor = drainingProcessor(store);
    const cpu0 = process.cpuUsage();
    const thread0 = threadCpuUs();
    const t0 = performance.now();
    const events = await processor.drain();
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const thread = threadCpuUs() - thread0;
    const wal = statSync(`${run}-wal`).size;
    await store.close();
    const per = (x: number) => (x / events).toFixed(1);
    console.log(
      `${events} events: CPU ${per(cpu.user + cpu.system)} µs per event (system ${per(cpu.system)}), ` +
        `processing thread ${per(thread)} µs, wall ${per(ms * 1000)} µs (${Math.round((events / ms) * 1000)} events/s), ` +
        `WAL ${(wal / events).toFixed(0)} B per event`,
    );
  }
} else {
  const store =
    mode === 'drain-threaded'
      ? new ThreadedProcessingStore(path)
      : new SqliteProcessingStore(path, { backgroundCheckpoints: true });
  const processor = drainingProcessor(store);
  const events = await processor.drain();
  await store.close();
  console.log(`${events} events`);
}
