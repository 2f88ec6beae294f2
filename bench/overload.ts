/**
 * npm run bench:overload — Wharf's ingress far past what one process can commit: N keep-alive
 * connections (default 10,000) each sending signed ≈1.5 KB POSTs back to back for a fixed time.
 * Every answer should be a 200 within the queue-time budget or a fast 503 + Retry-After (shedding on the
 * age of the oldest pending commit and on the pending count the measured commit rate gets through
 * within WHARF_MAX_QUEUE_MS); the report gives p50/p99/max of each, per status, twice: as the client
 * sees it (its first byte written → the answer's last byte read, which includes the time the request
 * waits in the kernel before Wharf reads it), and as the server decides it (first byte read → answer
 * written: Wharf's wharf_ack_latency_seconds, by status, from /metrics scraped before and after the
 * measured window; quantiles interpolated in its buckets, max = the highest bucket reached).
 * The budgets are judged on the server's figures.
 *
 * Two phases, each against its own fresh Wharf, same load: (1) WHARF_MAX_QUEUE_MS at --queue-ms (250,
 * the default), where a quiet machine commits what one core reads and sheds little or nothing; (2)
 * WHARF_MAX_QUEUE_MS lowered to --shed-queue-ms (25), the documented setting and the same shedding
 * code, so that the same load is past what the commits get through within the target and the 503
 * path is exercised in every run. A sender whose POST got a 503 sends its next one at once (it does
 * not wait for Retry-After): sustained overload, not Meta's backoff.
 * The load generator is this process: its own event-loop delay during the run is printed, since a
 * generator that falls behind adds its delay to every figure. By default it runs on CPU 0 and Wharf
 * on CPU 1 (taskset; --no-pin turns it off); Wharf's CPU over the run is printed too, and the
 * kernel's limits on pending connections (Wharf's listen backlog is Node's default, 511, capped at
 * net.core.somaxconn).
 * Options: --connections <n> (10000) --duration <s> (10) --warmup <s> (2) --queue-ms <ms> (250)
 *          --shed-queue-ms <ms> (25) --phases default,shed --no-pin. Needs `ulimit -n` above the
 *          connection count. Run it on a quiet machine; results belong in docs/benchmarks.md.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { connect, type Socket } from 'node:net';
import { Agent, get } from 'node:http';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { signedStatus } from './ingest-payload.js';
import { cpuSeconds } from './cpu-seconds.js';
import {
  bucketsBetween,
  gaugeValue,
  parseAckBuckets,
  parseHistogram,
  summarize,
  type AckBuckets,
} from './ack-histogram.js';
import { warmMemory } from './warm-memory.js';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '10000' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    'queue-ms': { type: 'string', default: '250' },
    'shed-queue-ms': { type: 'string', default: '25' },
    phases: { type: 'string', default: 'default,shed' },
    'no-pin': { type: 'boolean', default: false },
  },
});
const pin = !values['no-pin'] && cpus().length >= 2 && spawnSync('taskset', ['-V']).status === 0;
if (pin && process.env['WHARF_BENCH_PINNED'] !== '1') {
  // Every thread of the generator on CPU 0 (re-run under taskset), Wharf on CPU 1 (startWharf).
  const r = spawnSync(
    'taskset',
    ['-c', '0', process.execPath, ...process.execArgv, ...process.argv.slice(1)],
    {
      stdio: 'inherit',
      env: { ...process.env, WHARF_BENCH_PINNED: '1' },
    },
  );
  process.exit(r.status ?? 1);
}
/** WHARF_MAX_QUEUE_MS given to Wharf in each phase: a 200 is within budget when answered within it of its first byte. */
const PHASES = {
  default: Number(values['queue-ms']),
  shed: Number(values['shed-queue-ms']),
} as const;
const phases = values.phases.split(',').filter((p): p is keyof typeof PHASES => p in PHASES);
const connections = Number(values.connections);
const duration = Number(values.duration);
const warmup = Number(values.warmup);
const SECRET = 'bench-secret';

async function startWharf(dir: string, queueMs: number): Promise<{ child: ChildProcess; port: number }> {
  const argv = [process.execPath, '--import', 'tsx', 'src/cli/bin.ts', 'start'];
  const [file, args] = pin ? ['taskset', ['-c', '1', ...argv]] : [argv[0]!, argv.slice(1)];
  const child = spawn(file, args, {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${join(dir, 'overload.db')}`,
      WHATSAPP_APP_SECRET: SECRET,
      WHARF_LOG_LEVEL: 'info',
      WHARF_ROLE: 'ingress',
      WHARF_MAX_QUEUE_MS: String(queueMs),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /"port":(\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.once('exit', (code) => reject(new Error(`wharf exited (${code}): ${out}`)));
  });
}

interface Samples {
  recording: boolean;
  byStatus: Map<number, number[]>;
  errors: number;
  /** Connection errors by code, and whether the socket had connected ("ECONNRESET after connect"). */
  errorKinds: Map<string, number>;
  /** The same before the measured window (while the connections are opened and warm up). */
  errorsBefore: Map<string, number>;
  /** Connections that have had a first answer. */
  answered: number;
}

/** One connection sending a new signed POST as soon as the previous one is answered. */
function sender(port: number, first: number, samples: Samples, stop: { now: boolean }): Promise<void> {
  let n = first;
  return new Promise((resolve) => {
    const sock: Socket = connect(port, '127.0.0.1');
    let buffered = '';
    let sentAt = 0;
    let firstAnswer = false;
    const send = () => {
      if (stop.now) return void sock.end();
      const { body, signature } = signedStatus(n++, SECRET);
      sentAt = performance.now();
      sock.write(
        `POST /webhooks/whatsapp HTTP/1.1\r\nHost: b\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Hub-Signature-256: ${signature}\r\n\r\n${body}`,
      );
    };
    sock.on('connect', send);
    sock.on('data', (c: Buffer) => {
      buffered += c.toString('latin1');
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/\r\ncontent-length: (\d+)/i.exec(buffered.slice(0, end))?.[1] ?? 0);
      if (buffered.length < end + 4 + length) return;
      const status = Number(buffered.slice(9, 12));
      const closes = /\r\nconnection: close/i.test(buffered.slice(0, end));
      buffered = buffered.slice(end + 4 + length);
      if (!firstAnswer) {
        firstAnswer = true;
        samples.answered++;
      }
      if (samples.recording) {
        const list = samples.byStatus.get(status) ?? [];
        list.push(performance.now() - sentAt);
        samples.byStatus.set(status, list);
      }
      if (closes) return void sock.destroy();
      send();
    });
    let connected = false;
    sock.once('connect', () => (connected = true));
    sock.on('error', (err: NodeJS.ErrnoException) => {
      const kind = `${err.code ?? err.message} ${connected ? 'after connect' : 'while connecting'}`;
      const kinds = samples.recording ? samples.errorKinds : samples.errorsBefore;
      if (samples.recording) samples.errors++;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    });
    sock.on('close', () => {
      if (stop.now) return resolve();
      // Refused connections (503 with Connection: close) come back, as Meta's retries would.
      resolve(sender(port, n, samples, stop));
    });
  });
}

/**
 * The scrapes use one keep-alive connection opened before the load: a new connection would wait in
 * the listener's full accept backlog (SYN retries: seconds), and the window the server's figures
 * cover would no longer be the client's.
 */
const scrapeAgent = new Agent({ keepAlive: true, maxSockets: 1 });

/** /metrics over the scrape connection. */
function scrape(port: number): Promise<string> {
  return new Promise<string>((resolve, reject) =>
    get({ host: '127.0.0.1', port, path: '/metrics', agent: scrapeAgent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(body));
    }).on('error', reject),
  );
}

/** The cumulative buckets of wharf_ack_latency_seconds by status. */
async function ackBuckets(port: number): Promise<Map<string, AckBuckets>> {
  return parseAckBuckets(await scrape(port));
}

/**
 * The group commits between two scrapes (wharf_group_commit_seconds: handed to the writer thread →
 * settled on the event loop; wharf_group_commit_batch_size) and Wharf's event-loop delay over the
 * window (prom-client resets it at each scrape, so the second scrape's figures cover the window).
 */
function commitsBetween(before: string, after: string): string {
  const d0 = parseHistogram(before, 'wharf_group_commit_seconds');
  const d1 = parseHistogram(after, 'wharf_group_commit_seconds');
  const b0 = parseHistogram(before, 'wharf_group_commit_batch_size');
  const b1 = parseHistogram(after, 'wharf_group_commit_batch_size');
  const commits = d1.count - d0.count;
  const ms = (s: number) => (s * 1000).toFixed(1);
  const duration = summarize(bucketsBetween(d0.buckets, d1.buckets));
  const lag = (q: string) => ms(gaugeValue(after, `wharf_nodejs_eventloop_lag_${q}_seconds`));
  return (
    `group commits in the window: ${commits}, ${((b1.sum - b0.sum) / Math.max(1, commits)).toFixed(0)} deliveries each on average, ` +
    `${ms((d1.sum - d0.sum) / Math.max(1, commits))} ms each on average (p99 ${duration.p99.ms.toFixed(1)} ms, max ${duration.max}); ` +
    `wharf's event-loop delay p50 ${lag('p50')} ms, p99 ${lag('p99')} ms, max ${lag('max')} ms`
  );
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

const sysctl = (name: string) => {
  try {
    return readFileSync(`/proc/sys/${name.replaceAll('.', '/')}`, 'utf8').trim();
  } catch {
    return 'n/a';
  }
};

/** The kernel's TCP counters that say what happened to connections it could not hand to Wharf (system-wide). */
const TCP_COUNTERS = [
  'ListenOverflows',
  'ListenDrops',
  'SyncookiesSent',
  'SyncookiesRecv',
  'SyncookiesFailed',
  'TCPReqQFullDoCookies',
  'TCPReqQFullDrop',
  'TCPAbortOnData',
  'TCPAbortOnClose',
  'TCPAbortOnTimeout',
] as const;
function tcpCounters(): Map<string, number> {
  const m = new Map<string, number>();
  try {
    const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
    for (let i = 0; i + 1 < lines.length; i += 2) {
      const names = lines[i]!.split(/\s+/);
      const values = lines[i + 1]!.split(/\s+/);
      names.forEach((name, k) => m.set(name, Number(values[k])));
    }
  } catch {
    // not Linux: nothing to print
  }
  return m;
}
const counterDelta = (a: Map<string, number>, b: Map<string, number>) =>
  TCP_COUNTERS.map((c) => [c, (b.get(c) ?? 0) - (a.get(c) ?? 0)] as const)
    .filter(([, n]) => n !== 0)
    .map(([c, n]) => `${c} ${n}`)
    .join(', ') || 'none';

/** Whether every budget of a phase was met. */
async function runPhase(phase: keyof typeof PHASES): Promise<boolean> {
  const queueMs = PHASES[phase];
  const dir = mkdtempSync(join(tmpdir(), 'wharf-overload-'));
  const { child, port } = await startWharf(dir, queueMs);
  try {
    await ackBuckets(port); // opens the scrape connection before the load
    const samples: Samples = {
      recording: false,
      byStatus: new Map(),
      errors: 0,
      errorKinds: new Map(),
      errorsBefore: new Map(),
      answered: 0,
    };
    const stop = { now: false };
    const kernel0 = tcpCounters();
    const opening = performance.now();
    const all = Array.from({ length: connections }, (_, i) => sender(port, i * 1_000_000, samples, stop));
    // Opening 10,000 connections at once overflows the listen backlog (the kernel drops or
    // cookie-answers SYNs and retries them for seconds): the window starts once every connection
    // has had an answer (or after 60 s), so that opening them is not inside it.
    while (samples.answered < connections && performance.now() - opening < 60_000)
      await new Promise((r) => setTimeout(r, 50));
    const openedMs = performance.now() - opening;
    const openedCount = samples.answered;
    const kernel1 = tcpCounters();
    await new Promise((r) => setTimeout(r, warmup * 1000));
    const kernel2 = tcpCounters();
    let scrapeMs = performance.now();
    const text0 = await scrape(port);
    const acks0 = parseAckBuckets(text0);
    scrapeMs = performance.now() - scrapeMs;
    const loopDelay = monitorEventLoopDelay({ resolution: 1 });
    const cpu0 = cpuSeconds(child.pid);
    const self0 = process.cpuUsage();
    loopDelay.enable();
    samples.recording = true;
    await new Promise((r) => setTimeout(r, duration * 1000));
    samples.recording = false;
    loopDelay.disable();
    const cpu1 = cpuSeconds(child.pid);
    const self1 = process.cpuUsage(self0);
    // Scraped after the window: a request answered between the window's end and the scrape counts
    // too (a scrape waits its turn behind the load, like any request).
    const scrape1 = performance.now();
    const text1 = await scrape(port);
    const acks1 = parseAckBuckets(text1);
    const scrapesMs = [scrapeMs, performance.now() - scrape1];
    const kernel3 = tcpCounters();
    stop.now = true;
    await Promise.race([Promise.all(all), new Promise((r) => setTimeout(r, 5000))]);
    console.log(
      `\n## Phase "${phase}": WHARF_MAX_QUEUE_MS=${queueMs}${phase === 'shed' ? ' (lowered through the documented setting, so that the load is past what the commits get through within it: the same shedding code)' : ''}`,
    );
    console.log(
      `${connections} keep-alive connections, ${duration}s (+${warmup}s warm-up), ${cpus().length} cores, ${cpus()[0]?.model}, load average ${loadavg()[0]!.toFixed(2)}, ${pin ? 'generator on CPU 0, wharf on CPU 1' : 'not pinned'}`,
    );
    console.log("Client side (what the sender sees): its first byte written → the answer's last byte read");
    console.log('| answer | count | per s | p50 ms | p99 ms | max ms |');
    console.log('|---|---:|---:|---:|---:|---:|');
    for (const [status, list] of [...samples.byStatus].sort((a, b) => a[0] - b[0])) {
      list.sort((a, b) => a - b);
      console.log(
        `| ${status} | ${list.length} | ${Math.round(list.length / duration)} | ${quantile(list, 0.5).toFixed(1)} | ${quantile(list, 0.99).toFixed(1)} | ${(list.at(-1) ?? NaN).toFixed(1)} |`,
      );
    }
    console.log(
      `\nServer side: first byte read → answer written (wharf_ack_latency_seconds by status; the scrapes took ${scrapesMs.map((ms) => ms.toFixed(0)).join(' and ')} ms)`,
    );
    console.log('| answer | count | p50 ms (bucket) | p99 ms (bucket) | max | within 5 ms |');
    console.log('|---|---:|---:|---:|---:|---:|');
    const server = new Map<string, ReturnType<typeof summarize>>();
    for (const [status, after] of [...acks1].sort()) {
      const s = summarize(bucketsBetween(acks0.get(status), after));
      if (s.total === 0) continue;
      server.set(status, s);
      const fast = s.within(5);
      console.log(
        `| ${status} | ${s.total} | ${s.p50.ms.toFixed(2)} (${s.p50.bucket}) | ${s.p99.ms.toFixed(2)} (${s.p99.bucket}) | ${s.max} | ${fast} (${((100 * fast) / s.total).toFixed(2)} %) |`,
      );
    }
    console.log(commitsBetween(text0, text1));
    const kinds = [...samples.errorKinds].map(([k, n]) => `${k}: ${n}`).join(', ');
    const before = [...samples.errorsBefore].map(([k, n]) => `${k}: ${n}`).join(', ');
    console.log(
      `opening the connections: ${openedCount} of ${connections} answered once after ${(openedMs / 1000).toFixed(1)} s; connection errors meanwhile and in the warm-up: ${before === '' ? 'none' : before}`,
    );
    console.log(
      `kernel TCP counters (system-wide) while opening: ${counterDelta(kernel0, kernel1)}; in the window: ${counterDelta(kernel2, kernel3)}`,
    );
    console.log(`connection errors in the window: ${samples.errors}${kinds === '' ? '' : ` (${kinds})`}`);
    const wharfCpu = cpu0 === null || cpu1 === null ? 'n/a' : ((100 * (cpu1 - cpu0)) / duration).toFixed(0);
    const answers = [...server.values()].reduce((n, x) => n + x.total, 0);
    const perAnswer =
      cpu0 === null || cpu1 === null ? 'n/a' : (((cpu1 - cpu0) * 1e6) / Math.max(1, answers)).toFixed(1);
    const selfCpu = ((self1.user + self1.system) / 1e4 / duration).toFixed(0);
    const delay99 = loopDelay.percentile(99) / 1e6;
    console.log(
      `wharf CPU ${wharfCpu} % of a core (${perAnswer} µs per answer, all threads); generator CPU ${selfCpu} %, its event-loop delay p50 ${(loopDelay.percentile(50) / 1e6).toFixed(1)} ms, p99 ${delay99.toFixed(1)} ms`,
    );
    if (delay99 > 5)
      console.log(
        'note: the generator itself ran late (event-loop delay p99 > 5 ms): that delay is inside every client figure above',
      );
    const verdicts: [string, boolean][] = [];
    const other = [...samples.byStatus.keys()].filter((s) => s !== 200 && s !== 503);
    const ok = server.get('200');
    if (ok && ok.total > 0)
      verdicts.push([
        `server-side 200 p99 = ${ok.p99.ms.toFixed(1)} ms (queue-time target WHARF_MAX_QUEUE_MS ${queueMs} ms)`,
        ok.p99.ms <= queueMs,
      ]);
    const shed = server.get('503');
    if (shed && shed.total > 0)
      verdicts.push([`server-side 503 p99 = ${shed.p99.ms.toFixed(2)} ms (budget 5 ms)`, shed.p99.ms <= 5]);
    else if (phase === 'shed')
      verdicts.push(['no 503 in the shedding phase: the 503 path was not exercised', false]);
    verdicts.push([
      `answers other than 200 or 503: ${other.length === 0 ? 'none' : other.join(', ')}`,
      other.length === 0,
    ]);
    verdicts.push([`connection errors: ${samples.errors}`, samples.errors === 0]);
    for (const [what, pass] of verdicts) console.log(`${what} ${pass ? 'PASS' : 'FAIL'}`);
    return verdicts.every(([, pass]) => pass);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(
  `Overload benchmark, node ${process.version}. Kernel limits on pending connections: Wharf listens with a backlog of 4,096 (src/api/serve.ts), capped at net.core.somaxconn = ${sysctl('net.core.somaxconn')}; net.ipv4.tcp_max_syn_backlog = ${sysctl('net.ipv4.tcp_max_syn_backlog')}, tcp_syncookies = ${sysctl('net.ipv4.tcp_syncookies')}, tcp_abort_on_overflow = ${sysctl('net.ipv4.tcp_abort_on_overflow')}; local ports ${sysctl('net.ipv4.ip_local_port_range').replace(/\s+/, '–')}.`,
);
warmMemory();
let passed = true;
try {
  for (const phase of phases) if (!(await runPhase(phase))) passed = false;
} finally {
  scrapeAgent.destroy();
}
// Senders still waiting on a socket keep the loop alive: the run is over.
process.exit(passed ? 0 : 1);
