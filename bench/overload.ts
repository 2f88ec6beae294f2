/**
 * npm run bench:overload — Wharf's ingress far past what one process can commit: N keep-alive
 * connections (default 10,000) each sending signed ≈1.5 KB POSTs back to back for a fixed time.
 * Every answer should be a 200 within the queue-time budget or a fast 503 + Retry-After (shedding on the
 * age of the oldest pending commit, WHARF_MAX_QUEUE_MS); the report gives p50/p99 of each, per
 * status, twice: as the client sees it (its first byte written → the answer's last byte read, which
 * includes the time the request waits in the kernel before Wharf reads it), and as the server
 * decides it (first byte read → answer written: Wharf's wharf_ack_latency_seconds, by status, from
 * /metrics scraped before and after the measured window; quantiles interpolated in its buckets).
 * The budgets are judged on the server's figures.
 * The load generator is this process: its own event-loop delay during the run is printed, since a
 * generator that falls behind adds its delay to every figure. By default it runs on CPU 0 and Wharf
 * on CPU 1 (taskset; --no-pin turns it off); Wharf's CPU over the run is printed too.
 * Options: --connections <n> (10000) --duration <s> (10) --warmup <s> (2) --queue-ms <ms> (250: WHARF_MAX_QUEUE_MS)
 *          --no-pin. Needs `ulimit -n` above the connection count. Run it on a quiet machine;
 * results belong in docs/benchmarks.md.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { connect, type Socket } from 'node:net';
import { Agent, get } from 'node:http';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { signedStatus } from './ingest-payload.js';
import { cpuSeconds } from './cpu-seconds.js';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '10000' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    'queue-ms': { type: 'string', default: '250' },
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
/** WHARF_MAX_QUEUE_MS given to Wharf (its default): a 200 is within budget when answered within it of its first byte. */
const queueBudget = Number(values['queue-ms']);
const connections = Number(values.connections);
const duration = Number(values.duration);
const warmup = Number(values.warmup);
const SECRET = 'bench-secret';

async function startWharf(dir: string): Promise<{ child: ChildProcess; port: number }> {
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
      WHARF_MAX_QUEUE_MS: String(queueBudget),
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
}

/** One connection sending a new signed POST as soon as the previous one is answered. */
function sender(port: number, first: number, samples: Samples, stop: { now: boolean }): Promise<void> {
  let n = first;
  return new Promise((resolve) => {
    const sock: Socket = connect(port, '127.0.0.1');
    let buffered = '';
    let sentAt = 0;
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
      if (!samples.recording) return;
      samples.errors++;
      const kind = `${err.code ?? err.message} ${connected ? 'after connect' : 'while connecting'}`;
      samples.errorKinds.set(kind, (samples.errorKinds.get(kind) ?? 0) + 1);
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

/** The cumulative buckets of wharf_ack_latency_seconds by status: status → [upper bound s, count][]. */
async function ackBuckets(port: number): Promise<Map<string, [number, number][]>> {
  const text = await new Promise<string>((resolve, reject) =>
    get({ host: '127.0.0.1', port, path: '/metrics', agent: scrapeAgent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(body));
    }).on('error', reject),
  );
  const byStatus = new Map<string, [number, number][]>();
  for (const m of text.matchAll(/^wharf_ack_latency_seconds_bucket\{([^}]*)\} (\d+)$/gm)) {
    const le = /le="([^"]+)"/.exec(m[1]!)?.[1];
    const status = /status="(\d+)"/.exec(m[1]!)?.[1];
    if (le === undefined || status === undefined) continue;
    const list = byStatus.get(status) ?? [];
    list.push([le === '+Inf' ? Infinity : Number(le), Number(m[2])]);
    byStatus.set(status, list);
  }
  return byStatus;
}

/** Count and quantile (ms, linear within its bucket, as Prometheus' histogram_quantile) between two scrapes. */
function serverSide(before: [number, number][] | undefined, after: [number, number][]) {
  const delta = after.map(([le, n]) => [le, n - (before?.find(([b]) => b === le)?.[1] ?? 0)] as const);
  const total = delta.at(-1)?.[1] ?? 0;
  const q = (p: number) => {
    const rank = p * total;
    let lower = 0;
    let below = 0;
    for (const [le, cum] of delta) {
      if (cum >= rank && cum > below) {
        if (le === Infinity) return { ms: Infinity, bucket: `> ${lower * 1000} ms` };
        const ms = 1000 * (lower + ((le - lower) * (rank - below)) / (cum - below));
        return { ms, bucket: `${lower * 1000}–${le * 1000} ms` };
      }
      lower = le;
      below = cum;
    }
    return { ms: NaN, bucket: '' };
  };
  return { total, p50: q(0.5), p99: q(0.99) };
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

const dir = mkdtempSync(join(tmpdir(), 'wharf-overload-'));
const { child, port } = await startWharf(dir);
try {
  await ackBuckets(port); // opens the scrape connection before the load
  const samples: Samples = { recording: false, byStatus: new Map(), errors: 0, errorKinds: new Map() };
  const stop = { now: false };
  const all = Array.from({ length: connections }, (_, i) => sender(port, i * 1_000_000, samples, stop));
  await new Promise((r) => setTimeout(r, warmup * 1000));
  let scrapeMs = performance.now();
  const acks0 = await ackBuckets(port);
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
  const acks1 = await ackBuckets(port);
  const scrapesMs = [scrapeMs, performance.now() - scrape1];
  stop.now = true;
  await Promise.race([Promise.all(all), new Promise((r) => setTimeout(r, 5000))]);
  console.log(
    `\nOverload benchmark: ${connections} keep-alive connections, ${duration}s (+${warmup}s warm-up), ${cpus().length} cores, ${cpus()[0]?.model}, load average ${loadavg()[0]!.toFixed(2)}, ${pin ? 'generator on CPU 0, wharf on CPU 1' : 'not pinned'}`,
  );
  console.log("Client side: its first byte written → the answer's last byte read");
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
  console.log('| answer | count | p50 ms (bucket) | p99 ms (bucket) |');
  console.log('|---|---:|---:|---:|');
  const server = new Map<string, ReturnType<typeof serverSide>>();
  for (const [status, after] of [...acks1].sort()) {
    const s = serverSide(acks0.get(status), after);
    if (s.total === 0) continue;
    server.set(status, s);
    console.log(
      `| ${status} | ${s.total} | ${s.p50.ms.toFixed(2)} (${s.p50.bucket}) | ${s.p99.ms.toFixed(2)} (${s.p99.bucket}) |`,
    );
  }
  const kinds = [...samples.errorKinds].map(([k, n]) => `${k}: ${n}`).join(', ');
  console.log(`connection errors: ${samples.errors}${kinds === '' ? '' : ` (${kinds})`}`);
  const wharfCpu = cpu0 === null || cpu1 === null ? 'n/a' : ((100 * (cpu1 - cpu0)) / duration).toFixed(0);
  const selfCpu = ((self1.user + self1.system) / 1e4 / duration).toFixed(0);
  const delay99 = loopDelay.percentile(99) / 1e6;
  console.log(
    `wharf CPU ${wharfCpu} % of a core; generator CPU ${selfCpu} %, its event-loop delay p50 ${(loopDelay.percentile(50) / 1e6).toFixed(1)} ms, p99 ${delay99.toFixed(1)} ms`,
  );
  if (delay99 > 5)
    console.log(
      'note: the generator itself ran late (event-loop delay p99 > 5 ms): that delay is inside every figure above',
    );
  const other = [...samples.byStatus.keys()].filter((s) => s !== 200 && s !== 503);
  const ok = server.get('200');
  if (ok && ok.total > 0) {
    const p99 = ok.p99.ms;
    console.log(
      `server-side 200 p99 = ${p99.toFixed(1)} ms (queue-time budget WHARF_MAX_QUEUE_MS ${queueBudget} ms) ${p99 <= queueBudget ? 'PASS' : 'FAIL'}`,
    );
  }
  const shed = server.get('503');
  if (shed && shed.total > 0) {
    const p99 = shed.p99.ms;
    console.log(`server-side 503 p99 = ${p99.toFixed(2)} ms (budget < 5 ms) ${p99 < 5 ? 'PASS' : 'FAIL'}`);
  }
  console.log(
    `answers other than 200 or 503: ${other.length === 0 ? 'none' : other.join(', ')} ${other.length === 0 && samples.errors === 0 ? 'PASS' : 'FAIL'}`,
  );
} finally {
  scrapeAgent.destroy();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
// Senders still waiting on a socket keep the loop alive: the run is over.
process.exit(0);
