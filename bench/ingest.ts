/**
 * npm run bench:ingest — the same load against three servers, one after another, in one run:
 *   (a) bare node:http that reads the body and answers 200 (the floor),
 *   (b) Wharf's ingress (signature check + durable group commit to SQLite, synchronous=FULL),
 *   (c) Express + express.json + in-memory queue (the pattern most guides teach; not durable).
 * Load: unique ≈1.5 KB signed status webhooks, keep-alive connections, fixed duration, loopback only.
 * Options: --duration <s> (default 10) --connections <n> (default 64) --warmup <s> (default 2)
 *          --no-pin (by default the load generator runs on CPU 0 and each server on CPU 1, with taskset,
 *          so neither steals the other's core: unpinned, the scheduler's time slices between the load
 *          generator and the server's threads show up as tens of ms of tail latency).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { parseArgs } from 'node:util';
import { signedStatus } from './ingest-payload.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '64' },
    warmup: { type: 'string', default: '2' },
    'no-pin': { type: 'boolean', default: false },
  },
});
// Pin the whole load-generator process (every thread, GC helpers included) by re-running it under
// taskset; pinning only the main thread left V8's helper threads free to run on the server's core.
const pin = !values['no-pin'] && cpus().length >= 2 && spawnSync('taskset', ['-V']).status === 0;
if (pin && process.env.WHARF_BENCH_PINNED !== '1') {
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
const duration = Number(values.duration);
const connections = Number(values.connections);
const warmup = Number(values.warmup);
const SECRET = 'bench-secret';

interface Result {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** CPU of the server process (all its threads) during the measured run, % of one core. */
  cpuPercent: number | null;
  /** That CPU per answered request, microseconds. */
  cpuUsPerRequest: number | null;
}

/** utime + stime of a process and all its threads, in seconds (Linux /proc), or null elsewhere. */
function cpuSeconds(pid: number | undefined): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

async function startServer(
  cmd: string[],
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port: number }> {
  const [file, args] = pin ? ['taskset', ['-c', '1', process.execPath, ...cmd]] : [process.execPath, cmd];
  const child = spawn(file as string, args as string[], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening (\d+)/.exec(out) ?? /"port":(\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
  });
}

async function load(port: number, seconds: number, counter: { n: number }) {
  return autocannon({
    url: `http://127.0.0.1:${port}/webhooks/whatsapp`,
    connections,
    duration: seconds,
    pipelining: 1,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const { body, signature } = signedStatus(counter.n++, SECRET);
          return {
            ...req,
            body,
            headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
          };
        },
      },
    ],
  });
}

async function measure(name: string, cmd: string[], env: Record<string, string> = {}): Promise<Result> {
  const { child, port } = await startServer(cmd, env);
  const counter = { n: Math.floor(Math.random() * 1e9) };
  try {
    if (warmup > 0) await load(port, warmup, counter);
    const cpu0 = cpuSeconds(child.pid);
    const t0 = performance.now();
    const r = await load(port, duration, counter);
    const cpu1 = cpuSeconds(child.pid);
    const elapsed = (performance.now() - t0) / 1000;
    const cpu = cpu0 === null || cpu1 === null ? null : cpu1 - cpu0;
    return {
      name,
      rps: r.requests.average,
      p50: r.latency.p50,
      p99: r.latency.p99,
      non2xx: r.non2xx,
      errors: r.errors + r.timeouts,
      cpuPercent: cpu === null ? null : (100 * cpu) / elapsed,
      cpuUsPerRequest: cpu === null || r.requests.total === 0 ? null : (1e6 * cpu) / r.requests.total,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const dir = mkdtempSync(join(tmpdir(), 'wharf-bench-'));
try {
  const results: Result[] = [];
  results.push(await measure('(a) bare node:http', ['bench/servers/bare-http.mjs', '0']));
  results.push(
    await measure('(b) wharf ingress (durable)', ['--import', 'tsx', 'src/cli/bin.ts', 'start'], {
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${join(dir, 'bench.db')}`,
      WHATSAPP_APP_SECRET: SECRET,
      WHARF_LOG_LEVEL: 'info',
      WHARF_ROLE: 'ingress',
    }),
  );
  results.push(
    await measure('(c) express + express.json + memory queue', [
      'bench/servers/express-memory-queue.mjs',
      '0',
      SECRET,
    ]),
  );
  const [a, b, c] = results as [Result, Result, Result];
  console.log(
    `\nIngest benchmark: ${connections} keep-alive connections, ${duration}s (+${warmup}s warm-up), ${cpus().length} cores, ${cpus()[0]?.model}, ${pin ? 'load generator pinned to CPU 0, server to CPU 1' : 'not pinned'}`,
  );
  console.log(
    '| server | req/s | p50 ms | p99 ms | non-200 | errors | server CPU % of a core | CPU µs/request |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  const fmt = (x: number | null) => (x === null ? 'n/a' : x.toFixed(0));
  for (const r of results)
    console.log(
      `| ${r.name} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.errors} | ${fmt(r.cpuPercent)} | ${fmt(r.cpuUsPerRequest)} |`,
    );
  console.log('');
  for (const r of results)
    if (pin && r.cpuPercent !== null && r.cpuPercent < 90)
      console.log(
        `note: ${r.name} used ${r.cpuPercent.toFixed(0)} % of its core: it was not the bottleneck (the load generator, or other work on this machine, set the pace)`,
      );
  const ratioA = b.rps / a.rps;
  const ratioC = b.rps / c.rps;
  console.log(`\nwharf / bare = ${ratioA.toFixed(2)} (budget ≥ 0.90) ${ratioA >= 0.9 ? 'PASS' : 'FAIL'}`);
  console.log(`wharf p99 = ${b.p99} ms (budget ≤ 15 ms) ${b.p99 <= 15 ? 'PASS' : 'FAIL'}`);
  console.log(`wharf / express pattern = ${ratioC.toFixed(2)} (budget ≥ 5) ${ratioC >= 5 ? 'PASS' : 'FAIL'}`);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    'bench/results/ingest.json',
    JSON.stringify({ at: new Date().toISOString(), connections, duration, results }, null, 2),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
