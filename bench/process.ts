/**
 * Processing throughput on SQLite, one core: deliveries already in the inbox → claim, parse,
 * normalize, derive state, one transaction per batch (events, state, outbox rows, processed marks).
 * Usage: npm run bench:process [-- --deliveries 20000 --batch 2000] [-- --threaded]
 *
 * Workloads (each on a fresh database file, WAL + synchronous=FULL as in production):
 *   status batches  the load mode's delivery: three statuses of three outbound messages (reference §1.5)
 *   scenario mix    every simulator scenario in turn (messages, statuses, templates, account, history…)
 * One outbox target wants every event, so each event also writes one outbox row. Budget: ≥ 40,000
 * events/s on the status batches; the process exits 1 when below it.
 *
 * The processor runs the SQLite store in the calling thread (SqliteProcessingStore). With
 * --threaded it runs the store a Wharf process opens for SQLite instead (ThreadedProcessingStore,
 * src/adapters/sqlite/open-storage.ts): whole batches (claim, parse, normalize, derive, commit) in
 * its thread (runBatch), the target crossing as its rule; with --threaded --prepare-here the target
 * has no rule, as before runBatch: parsing and normalizing here, claims and commits in the thread,
 * each batch handed over by postMessage. Each run also prints the CPU of this (the calling) thread
 * per event. With runBatch the claim/parse/commit split below is not seen from here: all of it
 * shows as "parse/normalize/derive".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../src/adapters/sqlite/open-database.js';
import { migrate } from '../src/adapters/sqlite/migrate.js';
import { SqliteProcessingStore } from '../src/adapters/sqlite/processing-store.js';
import { ThreadedProcessingStore } from '../src/adapters/sqlite/threaded-processing-store.js';
import { Processor } from '../src/app/processor.js';
import { createLogger } from '../src/observability/create-logger.js';
import { createLoadBodies } from '../src/simulator/load-bodies.js';
import { serializeLikeMeta } from '../src/simulator/escape-json.js';
import { SCENARIOS } from '../src/simulator/scenarios/index.js';
import type { Delivery } from '../src/simulator/scenarios/types.js';
import { insertDelivery } from '../test/helpers/processing-harness.js';
import { tempDir } from '../test/helpers/temp-dir.js';
import { startSiblingWorker } from '../src/util/sibling-module.js';
import type { ProcessingStore } from '../src/ports/processing-store.js';
import { warmMemory } from './warm-memory.js';

const INBOX_MODULE = new URL('../src/adapters/sqlite/inbox.ts', import.meta.url).href;

const BUDGET = 40_000;
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const deliveries = arg('deliveries', 20_000);
// The WHARF_BATCH_SIZE default, which a `worker` process (targetBatchMs Infinity) takes whole.
const batchSize = arg('batch', 2000);
const threaded = process.argv.includes('--threaded');
const prepareHere = process.argv.includes('--prepare-here');

/** CPU time of the calling thread so far, ms (Linux /proc; clock ticks). */
function threadCpuMs(): number {
  const f = (readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1] ?? '').split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

/**
 * Time spent inside the store's claim and commit calls. With the in-thread store the commit call
 * is the whole SQLite transaction (statements, binding, WAL write and fsync): what no change to
 * parsing can remove. The rest of the drain is parsing, normalizing, deriving and the loop.
 */
function timed(store: ProcessingStore) {
  const spent = { claim: 0, commit: 0 };
  const claimBatch = store.claimBatch.bind(store);
  const commitBatch = store.commitBatch.bind(store);
  store.claimBatch = async (...args) => {
    const t = performance.now();
    try {
      return await claimBatch(...args);
    } finally {
      spent.claim += performance.now() - t;
    }
  };
  store.commitBatch = async (result) => {
    const t = performance.now();
    try {
      return await commitBatch(result);
    } finally {
      spent.commit += performance.now() - t;
    }
  };
  return spent;
}

async function run(name: string, next: (i: number) => Delivery, count: number) {
  const dir = tempDir('wharf-bench-');
  try {
    const path = join(dir.path, 'bench.db');
    const db = openDatabase(path);
    migrate(db, 0);
    let bytes = 0;
    db.transaction(() => {
      for (let i = 0; i < count; i++) {
        const body = serializeLikeMeta(next(i));
        bytes += body.length;
        insertDelivery(db, body, 0);
      }
    })();
    db.close();
    // As in production: the inbox's checkpointer thread checkpoints the WAL, the processing
    // connection never does (its CPU time is counted below, process.cpuUsage covers all threads).
    const checkpointer = startSiblingWorker(INBOX_MODULE, 'checkpointer-worker', {
      workerData: { path, intervalMs: 200, walBytes: 8 * 1024 * 1024 },
    });
    const store = threaded
      ? new ThreadedProcessingStore(path)
      : new SqliteProcessingStore(path, { backgroundCheckpoints: true });
    const spent = timed(store);
    const processor = new Processor({
      store,
      // Wants every event; with its rule (what wharf.onAny gives) a threaded store runs whole batches.
      targets: [
        threaded && !prepareHere
          ? { id: 'all', wants: () => true, rule: { kind: 'handler', names: null, filter: {} } }
          : { id: 'all', wants: () => true },
      ],
      logger: createLogger('silent'),
      batchSize,
      leaseMs: 60_000,
      targetBatchMs: Infinity,
    });
    const cpu0 = process.cpuUsage();
    const main0 = threadCpuMs();
    const t0 = performance.now();
    const events = await processor.drain();
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const mainMs = threadCpuMs() - main0;
    await store.close();
    const stopped = new Promise((r) => checkpointer.once('exit', r));
    checkpointer.postMessage('close');
    await stopped;
    const perSecond = (events / ms) * 1000;
    console.log(
      `${name.padEnd(16)} ${count} deliveries (${(bytes / count).toFixed(0)} B avg), ${events} events in ${ms.toFixed(0)} ms: ` +
        `${Math.round(perSecond).toLocaleString('en')} events/s, ${Math.round((count / ms) * 1000).toLocaleString('en')} deliveries/s, ` +
        `CPU ${(((cpu.user + cpu.system) / 1000 / ms) * 100).toFixed(0)} % of one core, ` +
        `${((mainMs * 1000) / events).toFixed(1)} µs of the calling thread per event`,
    );
    const us = (x: number) => ((x * 1000) / events).toFixed(1);
    console.log(
      `${''.padEnd(16)} per event: ${us(ms)} µs = claim ${us(spent.claim)} + parse/normalize/derive ${us(ms - spent.claim - spent.commit)} + commit ${us(spent.commit)}`,
    );
    return perSecond;
  } finally {
    dir.cleanup();
  }
}

const statusBatches = createLoadBodies({ seed: 1, now: 1767225600 });
const mixes = SCENARIOS.filter((s) => s.name !== 'history-near-3mb').map((s) =>
  createLoadBodies({ seed: 2, now: 1767225600, scenario: s }),
);
const mixed = (i: number) => (mixes[i % mixes.length] as (i: number) => Delivery)(i);

console.log(
  `node ${process.version}, batch ${batchSize}, one outbox target, ${threaded ? 'writer thread (ThreadedProcessingStore)' : 'store in the calling thread (SqliteProcessingStore)'}`,
);
warmMemory();
await run('warm-up', statusBatches, 2000);
const statuses = await run('status batches', statusBatches, deliveries);
await run('scenario mix', mixed, Math.round(deliveries / 4));
if (statuses < BUDGET) {
  console.error(`below budget: ${Math.round(statuses)} < ${BUDGET} events/s`);
  process.exitCode = 1;
}
