/**
 * End-to-end lag on SQLite: time from the webhook's 200 to the event being readable through the
 * API, at a steady 5,000 events/s. A real `wharf start` (role all) runs in its own process; this
 * process sends signed status batches (three statuses per delivery, reference §1.5) on keep-alive
 * connections and reads /api/v1/stream: an event on the stream has been committed and is readable.
 * Then the same load against `--role ingress` (no processor) shows what processing costs the 200.
 * Usage: npm run bench:e2e [-- --rate 5000 --seconds 10 --warmup 2]
 * Each run first takes `--warmup` s of the same load, not counted (a fresh process: its processing
 * thread's first batches compile their code), then the measured `--seconds`; the warm-up's worst lag
 * is printed apart.
 * Budget: p99 lag ≤ 100 ms; the process exits 1 when above it.
 * Each run also prints, over the load's window, Wharf's CPU per event (main thread, all threads;
 * from /proc, so it holds under load where latencies do not) and its event-loop delay p99 and max
 * (prom-client's histogram, which restarts at each scrape of /metrics).
 */
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { TOKEN, load, pct } from './signed-load.js';
import { tempDir } from '../test/helpers/temp-dir.js';
import { cpuPerEvent, startWharf, type WharfProcess } from './forward-parts.js';
import { threadIo, threadIoPerEvent } from './thread-io.js';
import { warmMemory } from './warm-memory.js';

const BUDGET_MS = 100;
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const rate = arg('rate', 5000);
const seconds = arg('seconds', 10);
const warmupSeconds = arg('warmup', 2);

/** A histogram's cumulative bucket counts, by upper bound (seconds), as /metrics gives them. */
function buckets(text: string, name: string, labels = ''): Map<string, number> {
  const out = new Map<string, number>();
  const pattern = `^${name}_bucket\\{le="([^"]+)"${labels === '' ? '' : `,${labels}`}\\} (\\S+)$`;
  for (const m of text.matchAll(new RegExp(pattern, 'gm'))) out.set(m[1] ?? '', Number(m[2]));
  return out;
}

/** The bucket bound (ms) under which p% of the observations between two scrapes fall: "≤ that". */
function bucketPct(a: Map<string, number>, b: Map<string, number>, p: number): string {
  const counts = [...b].map(([le, n]) => [le, n - (a.get(le) ?? 0)] as const);
  const total = counts.at(-1)?.[1] ?? 0;
  if (total === 0) return 'none';
  const le = counts.find(([, n]) => n >= (p / 100) * total)?.[0] ?? '+Inf';
  return le === '+Inf' ? '> the largest bucket' : `≤ ${1000 * Number(le)} ms`;
}

/** Event-loop delay since the last scrape, ms, and the CPU so far, per thread. */
async function sample(wharf: WharfProcess) {
  const text = await fetch(`${wharf.base}/metrics`).then((r) => r.text());
  const value = (name: string) => 1000 * Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    lockHold: buckets(text, 'wharf_processing_lock_seconds'),
    groupCommit: buckets(text, 'wharf_group_commit_seconds'),
    ack: buckets(text, 'wharf_ack_latency_seconds', 'status="200"'),
    batches: value('wharf_processing_batch_deliveries_count') / 1000,
    loopP99Ms: value('wharf_nodejs_eventloop_lag_p99_seconds'),
    loopMaxMs: value('wharf_nodejs_eventloop_lag_max_seconds'),
    cpu: wharf.cpu(),
    io: threadIo(wharf.pid),
  };
}

/** The load, with Wharf's CPU per event and event-loop delay over its window. */
async function measured(
  wharf: WharfProcess,
  onAck: Parameters<typeof load>[2],
  onWarmAck: Parameters<typeof load>[2] = () => undefined,
) {
  if (warmupSeconds > 0)
    await load(wharf.base, { rate, seconds: warmupSeconds, deliveries: 0, seed: 7 }, onWarmAck);
  const before = await sample(wharf);
  const result = await load(wharf.base, { rate, seconds, deliveries: 0, seed: 42 }, onAck);
  const after = await sample(wharf);
  const events = result.sent * 3;
  const cpu = cpuPerEvent(before.cpu, after.cpu, events);
  return {
    ...result,
    cpu,
    // The two busiest threads but the main one, with the KB they wrote and read through system
    // calls per event. With processing, the first is the processing thread (its WAL writes, and the
    // pages it reads again after another connection's commit emptied its cache), the second the
    // inbox writer; without, the inbox writer and the checkpointer.
    busiest: cpu.others
      .slice(0, 2)
      .map((t) => ({ us: t.us, ...threadIoPerEvent(before.io, after.io, t.tid, events) })),
    loopP99Ms: after.loopP99Ms,
    loopMaxMs: after.loopMaxMs,
    batches: after.batches - before.batches,
    lockHoldP99: bucketPct(before.lockHold, after.lockHold, 99),
    groupCommitP99: bucketPct(before.groupCommit, after.groupCommit, 99),
    serverAckP99: bucketPct(before.ack, after.ack, 99),
  };
}

async function endToEnd(dir: string) {
  const wharf = await startWharf(join(dir, 'all.db'), { role: 'all' });
  // The stream is read in a thread of its own (bench/stream-seen.mjs), so that this thread only
  // sends and times, as in the ingress-only run, which has no stream to read: parsing 5,000 events/s
  // here would add its own delays to the acks it times.
  const reader = new Worker(new URL('./stream-seen.mjs', import.meta.url), {
    workerData: { base: wharf.base, token: TOKEN },
  });
  try {
    await fromReader(reader, 10_000);
    /** Epoch ms (sub-ms precision) of each acknowledged wamid's 200, on the reader's clock. */
    const ackedAt = new Map<string, number>();
    const warmAckedAt = new Map<string, number>();
    const into = (acked: Map<string, number>) => (wamids: string[], at: number) => {
      const epoch = performance.timeOrigin + at;
      for (const w of wamids) acked.set(w, epoch);
    };
    const result = await measured(wharf, into(ackedAt), into(warmAckedAt));
    reader.postMessage({ collect: [...warmAckedAt.keys(), ...ackedAt.keys()], deadlineMs: 10_000 });
    const seen = new Map((await fromReader(reader, 20_000)).seen);
    const lagsOf = (acked: Map<string, number>) => {
      const lags: number[] = [];
      let missing = 0;
      for (const [wamid, at] of acked) {
        const s = seen.get(wamid);
        // The stream can win the race against the 200 reaching this client: that is a lag of 0.
        if (s === undefined) missing++;
        else lags.push(Math.max(0, s - at));
      }
      return { lags, missing };
    };
    const warm = lagsOf(warmAckedAt);
    return { ...result, ...lagsOf(ackedAt), warmLagMax: pct(warm.lags, 100), warmMissing: warm.missing };
  } finally {
    await reader.terminate();
    await wharf.stop();
  }
}

/** The reader thread's next message: rejected when it reports an error, stops or says nothing in time. */
function fromReader(reader: Worker, timeoutMs: number): Promise<{ seen: Array<[string, number]> }> {
  return new Promise((resolve, reject) => {
    const done = (settle: () => void) => {
      clearTimeout(timer);
      reader.off('message', onMessage).off('error', onError).off('exit', onExit);
      settle();
    };
    const onMessage = (m: { error?: string; seen?: Array<[string, number]> }) =>
      done(() =>
        m.error !== undefined
          ? reject(new Error(`stream reader: ${m.error}`))
          : resolve(m as { seen: Array<[string, number]> }),
      );
    const onError = (err: Error) => done(() => reject(err));
    const onExit = (code: number) => done(() => reject(new Error(`stream reader exited (${code})`)));
    const timer = setTimeout(
      () => done(() => reject(new Error(`stream reader silent for ${timeoutMs} ms`))),
      timeoutMs,
    );
    reader.on('message', onMessage).on('error', onError).on('exit', onExit);
  });
}

async function ingressOnly(dir: string) {
  const wharf = await startWharf(join(dir, 'ingress.db'), { role: 'ingress' });
  const result = await measured(wharf, () => undefined);
  await wharf.stop();
  return result;
}

const f = (x: number) => x.toFixed(1);
const window = (r: Awaited<ReturnType<typeof measured>>) =>
  `${Number.isNaN(r.batches) ? '' : `${r.batches} processing batches, their longest write transaction p99 ${r.lockHoldP99}; `}group commit p99 ${r.groupCommitP99}; 200 as Wharf answered it (wharf_ack_latency_seconds) p99 ${r.serverAckP99}; event-loop delay p99 ${f(r.loopP99Ms)} ms, max ${f(r.loopMaxMs)} ms (prom-client's, its 10 ms sampling interval included: an idle loop reads 10.3); CPU per event ${f(r.cpu.mainUs)} µs main thread, ${f(r.cpu.totalUs)} µs all threads (busiest others ${r.cpu.othersUs.slice(0, 4).map(f).join(', ')}); the busiest two per event: ${r.busiest.map((t) => `${f(t.us)} µs, ${f(t.writtenKb)} KB written, ${f(t.readKb)} KB read`).join('; ')}`;
warmMemory();
const dir = tempDir('wharf-e2e-');
try {
  console.log(
    `node ${process.version}, ${rate} events/s (${Math.round(rate / 3)} deliveries/s) for ${seconds} s, after ${warmupSeconds} s of the same load not counted`,
  );
  const e2e = await endToEnd(dir.path);
  const events = e2e.lags.length;
  console.log(
    `end-to-end (role all): ${e2e.sent} deliveries, ${events} events matched, ${e2e.missing} never seen, ${e2e.failures} failed POSTs`,
  );
  console.log(
    `  lag 200 → readable: p50 ${f(pct(e2e.lags, 50))} ms, p90 ${f(pct(e2e.lags, 90))} ms, p99 ${f(pct(e2e.lags, 99))} ms, max ${f(pct(e2e.lags, 100))} ms`,
  );
  console.log(`  ack latency: p50 ${f(pct(e2e.acks, 50))} ms, p99 ${f(pct(e2e.acks, 99))} ms`);
  console.log(`  ${window(e2e)}`);
  if (warmupSeconds > 0)
    console.log(
      `  warm-up (not counted): worst lag ${f(e2e.warmLagMax)} ms, ${e2e.warmMissing} events never seen`,
    );
  const ing = await ingressOnly(dir.path);
  console.log(
    `ingress only (no processor): ack latency p50 ${f(pct(ing.acks, 50))} ms, p99 ${f(pct(ing.acks, 99))} ms`,
  );
  console.log(`  ${window(ing)}`);
  if (!(pct(e2e.lags, 99) <= BUDGET_MS) || e2e.missing > 0 || e2e.warmMissing > 0 || e2e.failures > 0) {
    console.error(`over budget or incomplete: p99 ${f(pct(e2e.lags, 99))} ms > ${BUDGET_MS} ms`);
    process.exitCode = 1;
  }
} finally {
  dir.cleanup();
}
