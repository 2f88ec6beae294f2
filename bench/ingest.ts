/**
 * npm run bench:ingest — the same load against four servers, in alternating rounds, in one run:
 *   bare     node:http that reads the body and answers 200 (not durable, checks nothing),
 *   durable  the minimal correct durable receiver (bench/servers/durable-append.mjs: node:http +
 *            timing-safe HMAC + append to a file + group fdatasync): the practical limit,
 *   wharf    Wharf's ingress (signature check + durable group commit to SQLite, synchronous=FULL),
 *   express  Express + express.json + in-memory queue (the pattern most guides teach; not durable).
 * Load generator: wrk (C, one thread, keep-alive connections; Debian's package, installed by
 * bench/install-wrk.sh when missing) with bench/wrk-pool.lua cycling a pool of unique pre-signed
 * ≈1.5 KB status webhooks, so Wharf's dedupe never short-circuits the durable write. Loopback only.
 * Modes: pinned (wrk on CPU 0, the server and every thread of it on CPU 1, taskset) and unpinned.
 * For every run it prints req/s, p50/p99 and the CPU of wrk and of the server (from /proc, sampled
 * while wrk runs), and flags a run where wrk, not the server, set the pace. For Wharf also its WAL
 * during the measured run (most of it in use, the file's size, how often it restarted from its
 * first frame: bench/wal-watch.ts) and its group commits (`wharf_group_commit_seconds`, scraped
 * before and after).
 * Then the streams phase: Wharf `--role all` with and without N open /api/v1/stream clients,
 * alternating, to show what live streams cost ingest.
 * Options: --duration <s> (6) --warmup <s> (2) --connections <n> (64) --rounds <n> (3)
 *          --mode both|pinned|unpinned (both) --servers bare,durable,wharf,express (none: streams only)
 *          --wharf-base <checkout>: also Wharf's ingress run from that checkout (its own src and
 *            node_modules), in the same alternating rounds: an A/B of two versions in one run
 *          --pool <requests> (300000) --streams <n> (500; 0 skips the streams phase)
 *          --stream-encoding gzip|identity (gzip: the stream clients ask for it, as browsers do)
 *          --decode-every <k> (10): the stream clients decompress one stream in k and check the others
 *            against them by bytes and CRC-32 (1: decompress all, the clients before 2026-12-07)
 *          --rate <req/s> (streams phase only; 0, the default: as fast as Wharf answers): paces wrk
 *            (each connection waits connections/rate s between requests), so both runs of a round
 *            take the same load and Wharf's CPU per request compares at the same rate: what the
 *            streams add per request, robust to other work on the machine (docs/benchmarks.md)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  mkdtempSync,
  rmSync,
  mkdirSync,
  writeFileSync,
  readFileSync,
  readdirSync,
  openSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { signedStatus } from './ingest-payload.js';
import { cpuSeconds } from './cpu-seconds.js';
import { wharfStartArgs } from './wharf-start-args.js';
import { commitDurations, histogramBuckets, watchWal, type WalWatch } from './wal-watch.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '6' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '64' },
    rounds: { type: 'string', default: '3' },
    mode: { type: 'string', default: 'both' },
    servers: { type: 'string', default: 'bare,durable,wharf,express' },
    pool: { type: 'string', default: '300000' },
    streams: { type: 'string', default: '500' },
    'stream-encoding': { type: 'string', default: 'gzip' },
    rate: { type: 'string', default: '0' },
    'decode-every': { type: 'string', default: '10' },
    'wharf-base': { type: 'string' },
  },
});
const duration = Number(values.duration);
const warmup = Number(values.warmup);
const connections = Number(values.connections);
const rounds = Number(values.rounds);
const poolSize = Number(values.pool);
const streams = Number(values.streams);
const streamEncoding = values['stream-encoding'] as string;
/** wrk's pause per connection between requests in the streams phase (--rate), ms; 0: none. */
const streamDelayMs =
  Number(values.rate) > 0 ? Math.max(1, Math.round((connections * 1000) / Number(values.rate))) : 0;
const SECRET = 'bench-secret';
const TOKEN = 'bench-token';
/** A process at or above this share of its core was the bottleneck of its run. */
const SATURATED = 90;

const canPin = cpus().length >= 2 && spawnSync('taskset', ['-V']).status === 0;
const modes = (values.mode === 'both' ? ['pinned', 'unpinned'] : [values.mode as string]).filter(
  (m) => m === 'unpinned' || canPin,
);
if (modes.length === 0) throw new Error(`--mode ${values.mode}: taskset or a second CPU is missing`);

/** wrk from Debian's package: installed by bench/install-wrk.sh when it is not on PATH. */
function ensureWrk(): void {
  if (spawnSync('wrk', ['-v']).error === undefined) return;
  console.log('wrk is missing: installing Debian package wrk (bench/install-wrk.sh)');
  const r = spawnSync('bash', ['bench/install-wrk.sh'], { stdio: 'inherit' });
  if (r.status !== 0 || spawnSync('wrk', ['-v']).error !== undefined)
    throw new Error('could not install wrk: run `apt-get install -y wrk` and try again');
}

/** CPU seconds (utime + stime) of each thread of a process, by thread id (Linux /proc), or null. */
function threadSeconds(pid: number | undefined): Map<number, number> | null {
  try {
    const out = new Map<number, number>();
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), (Number(fields[11]) + Number(fields[12])) / 100);
    }
    return out;
  } catch {
    return null;
  }
}

/**
 * CPU µs per answered request of each thread that used any, busiest first: "main" is the event
 * loop (thread id = pid), "+k" the thread created k threads after it (Node names none of them; in
 * Wharf's ingress the inbox writer is the last one created and the WAL checkpointer the one before).
 */
function perThread(
  pid: number | undefined,
  a: Map<number, number> | null,
  b: Map<number, number> | null,
  requests: number,
): string {
  if (!a || !b || requests === 0) return 'n/a';
  const rows = [...b]
    .map(([tid, s]) => [tid, (1e6 * (s - (a.get(tid) ?? 0))) / requests] as const)
    .filter(([, us]) => us >= 0.05)
    .sort((x, y) => y[1] - x[1]);
  const total = rows.reduce((n, [, us]) => n + us, 0);
  return (
    `${total.toFixed(1)} µs: ` +
    rows.map(([tid, us]) => `${tid === pid ? 'main' : `+${tid - pid!}`} ${us.toFixed(1)}`).join(', ')
  );
}

/** The pool file bench/wrk-pool.lua reads: records "<length>\n<raw request>", each body unique and signed. */
function writePool(file: string, size: number): void {
  const fd = openSync(file, 'w');
  let chunk: string[] = [];
  for (let n = 0; n < size; n++) {
    const { body, signature } = signedStatus(n, SECRET);
    const request =
      `POST /webhooks/whatsapp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nX-Hub-Signature-256: ${signature}\r\n\r\n${body}`;
    chunk.push(`${Buffer.byteLength(request)}\n${request}`);
    if (chunk.length === 5000 || n === size - 1) {
      writeSync(fd, chunk.join(''));
      chunk = [];
    }
  }
  closeSync(fd);
}

interface Server {
  readonly key: string;
  readonly name: string;
  readonly cmd: (dir: string) => string[];
  readonly env?: (dir: string) => Record<string, string>;
  /** Repeated bodies are answered from its dedupe table without the durable write. */
  readonly dedupes?: boolean;
  /** The checkout it runs from (default: this one). */
  readonly cwd?: string;
}

const wharfEnv = (role: string) => (dir: string) => ({
  PORT: '0',
  HOST: '127.0.0.1',
  DATABASE_URL: `sqlite:${join(dir, 'bench.db')}`,
  WHATSAPP_APP_SECRET: SECRET,
  WHARF_API_TOKEN: TOKEN,
  WHARF_MAX_STREAMS: String(Math.max(100, streams + 10)),
  WHARF_LOG_LEVEL: 'info',
  WHARF_ROLE: role,
});
const SERVERS: Server[] = [
  { key: 'bare', name: 'bare node:http (not durable)', cmd: () => ['bench/servers/bare-http.mjs', '0'] },
  {
    key: 'durable',
    name: 'minimal durable receiver',
    cmd: (dir) => ['bench/servers/durable-append.mjs', '0', SECRET, join(dir, 'inbox.log')],
  },
  {
    key: 'wharf',
    name: 'wharf ingress (durable)',
    cmd: wharfStartArgs,
    env: wharfEnv('ingress'),
    dedupes: true,
  },
  {
    key: 'express',
    name: 'express + memory queue (not durable)',
    cmd: () => ['bench/servers/express-memory-queue.mjs', '0', SECRET],
  },
];
// `--servers none`: only the streams phase.
const chosen = (values.servers === 'none' ? [] : (values.servers as string).split(',')).map((k) => {
  const s = SERVERS.find((x) => x.key === k.trim());
  if (!s)
    throw new Error(`--servers: unknown server "${k}" (known: ${SERVERS.map((x) => x.key).join(', ')})`);
  return s;
});
// `--wharf-base <checkout>`: the same Wharf ingress from another checkout, in the same rounds.
const wharfBase = values['wharf-base'];
if (wharfBase !== undefined)
  chosen.push({ ...SERVERS[2]!, key: 'wharf-base', name: `wharf ingress (${wharfBase})`, cwd: wharfBase });

function startProcess(
  argv: string[],
  pinTo: string | null,
  env: Record<string, string>,
  ready: RegExp,
  cwd?: string,
): Promise<{ child: ChildProcess; match: RegExpExecArray; exited: Promise<unknown> }> {
  const [file, args] = pinTo === null ? [argv[0]!, argv.slice(1)] : ['taskset', ['-c', pinTo, ...argv]];
  const child = spawn(file, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((r) => child.once('exit', r));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = ready.exec(out);
      if (m) resolve({ child, match: m, exited });
    });
    child.once('exit', (code) =>
      reject(new Error(`${argv.join(' ')} exited (${code}): ${out.slice(-2000)}`)),
    );
  });
}

async function stop(child: ChildProcess): Promise<string> {
  let out = '';
  child.stdout?.removeAllListeners('data');
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  if (child.exitCode !== null || child.signalCode !== null) return out;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  return out;
}

interface WrkRun {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  wrkCpu: number | null;
  serverCpu: number | null;
  /** The server's CPU µs per answered request, by thread (perThread). */
  threads: string;
}

/** One wrk run against `port`; CPU of wrk and of the server sampled from wrk's start to its end. */
async function wrk(
  port: number,
  seconds: number,
  first: number,
  pinned: boolean,
  serverPid?: number,
  delayMs = 0,
): Promise<WrkRun> {
  // stdbuf: wrk's stdout is a pipe here, and its "Running" line marks the end of the pool's loading.
  const argv = [
    'stdbuf',
    '-oL',
    'wrk',
    '-t1',
    `-c${connections}`,
    `-d${seconds}s`,
    '--timeout',
    '10s',
    '-s',
    'bench/wrk-pool.lua',
    `http://127.0.0.1:${port}/webhooks/whatsapp`,
    '--',
    poolFile,
    String(first),
    '0',
    String(delayMs),
  ];
  const { child, exited } = await startProcess(argv, pinned ? '0' : null, {}, /Running/);
  const w0 = cpuSeconds(child.pid);
  const s0 = cpuSeconds(serverPid);
  const th0 = threadSeconds(serverPid);
  const t0 = performance.now();
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  // Sample just before wrk's end, while the process still exists.
  await new Promise((r) => setTimeout(r, Math.max(0, seconds * 1000 - 300)));
  const w1 = cpuSeconds(child.pid);
  const s1 = cpuSeconds(serverPid);
  const th1 = threadSeconds(serverPid);
  const elapsed = (performance.now() - t0) / 1000;
  await exited;
  const line = /WRK_JSON (\{.*\})/.exec(out);
  if (!line) throw new Error(`wrk printed no result: ${out}`);
  const j = JSON.parse(line[1]!) as Record<string, number>;
  const share = (a: number | null, b: number | null) =>
    a === null || b === null ? null : (100 * (b - a)) / elapsed;
  return {
    requests: j['requests']!,
    rps: j['requests']! / (j['duration_us']! / 1e6),
    p50: j['p50_us']! / 1000,
    p99: j['p99_us']! / 1000,
    errors: j['connect']! + j['read']! + j['write']! + j['timeout']!,
    non2xx: j['status']!,
    wrkCpu: share(w0, w1),
    serverCpu: share(s0, s1),
    // Requests answered in the sampled time, estimated from wrk's rate (the sample ends 0.3 s early).
    threads: perThread(serverPid, th0, th1, (j['requests']! * elapsed) / (j['duration_us']! / 1e6)),
  };
}

interface Row extends WrkRun {
  server: string;
  mode: string;
  round: number;
  /** Requests of this server's run (warm-up included) beyond the pool: repeated bodies. */
  repeats: number;
  bound: string;
  /** Wharf only: its WAL and its group commits during the measured run. */
  storage?: string;
}

function whoBound(r: WrkRun): string {
  if (r.wrkCpu === null || r.serverCpu === null) return 'n/a';
  if (r.serverCpu >= SATURATED) return 'server';
  if (r.wrkCpu >= SATURATED) return 'GENERATOR';
  return 'neither (waits, or other work on its core)';
}

async function measure(server: Server, mode: string, round: number): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'wharf-bench-'));
  const pinned = mode === 'pinned';
  const { child, match } = await startProcess(
    [process.execPath, ...server.cmd(dir)],
    pinned ? '1' : null,
    server.env?.(dir) ?? {},
    /listening (\d+)|"port":(\d+)/,
    server.cwd,
  );
  const port = Number(match[1] ?? match[2]);
  try {
    let sent = 0;
    if (warmup > 0) sent += (await wrk(port, warmup, 0, pinned)).requests;
    const isWharf = server.key.startsWith('wharf');
    const commitsBefore = isWharf ? await commitBuckets(port) : undefined;
    const wal = isWharf ? watchWal(join(dir, 'bench.db')) : undefined;
    const r = await wrk(port, duration, sent, pinned, child.pid);
    const walSeen = wal?.stop();
    const commitsAfter = isWharf ? await commitBuckets(port) : undefined;
    sent += r.requests;
    return {
      ...r,
      storage:
        walSeen && commitsBefore && commitsAfter
          ? storageLine(walSeen, commitDurations(commitsBefore, commitsAfter))
          : undefined,
      server: server.name,
      mode,
      round,
      repeats: Math.max(0, sent - poolSize),
      bound: whoBound(r),
    };
  } finally {
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function commitBuckets(port: number): Promise<Map<number, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return histogramBuckets(text, 'wharf_group_commit_seconds');
}

function storageLine(w: WalWatch, c: ReturnType<typeof commitDurations>): string {
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  return (
    `WAL at most ${mb(w.maxFrames * (w.pageSize + 24))} MB in use (file ${mb(w.fileBytes)} MB), ` +
    `${w.restarts} restarts; ${c.count} group commits, p50 ≤ ${c.p50} ms, p99 ≤ ${c.p99} ms, ` +
    `over 10/25/50/100 ms: ${c.over[10]}/${c.over[25]}/${c.over[50]}/${c.over[100]}`
  );
}

/** The durable servers' CPU per request is printed by thread (where the microseconds go). */
const serverIsMeasured = (s: Server) => s.key.startsWith('wharf') || s.key === 'durable';

const fmt = (x: number | null, d = 0) => (x === null ? 'n/a' : x.toFixed(d));
const range = (xs: number[], d = 0) => {
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return lo.toFixed(d) === hi.toFixed(d) ? lo.toFixed(d) : `${lo.toFixed(d)} – ${hi.toFixed(d)}`;
};

ensureWrk();
const work = mkdtempSync(join(tmpdir(), 'wharf-bench-pool-'));
const poolFile = join(work, 'pool.txt');
try {
  console.log(`writing a pool of ${poolSize} unique signed requests…`);
  writePool(poolFile, poolSize);
  console.log(
    `Ingest benchmark: wrk, 1 thread, ${connections} keep-alive connections, ${duration}s (+${warmup}s warm-up), ` +
      `${rounds} alternating rounds, ${cpus().length} cores, ${cpus()[0]?.model}, load average ${loadavg()[0]!.toFixed(2)}`,
  );
  const rows: Row[] = [];
  for (const mode of modes) {
    console.log(`\n${mode === 'pinned' ? 'pinned: wrk on CPU 0, each server on CPU 1' : 'unpinned'}`);
    console.log(
      '| round | server | req/s | p50 ms | p99 ms | non-200 | errors | server CPU % | wrk CPU % | bound by |',
    );
    console.log('|---:|---|---:|---:|---:|---:|---:|---:|---:|---|');
    for (let round = 1; round <= rounds; round++) {
      // Alternate the order so no server always runs first (or after the same neighbour).
      const order = round % 2 === 1 ? chosen : [...chosen].reverse();
      for (const server of order) {
        const r = await measure(server, mode, round);
        rows.push(r);
        console.log(
          `| ${round} | ${r.server} | ${Math.round(r.rps)} | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} | ${r.non2xx} | ${r.errors} | ${fmt(r.serverCpu)} | ${fmt(r.wrkCpu)} | ${r.bound} |`,
        );
        if (serverIsMeasured(server)) console.log(`  server CPU per request: ${r.threads}`);
        if (r.storage !== undefined) console.log(`  storage: ${r.storage}`);
        if (server.dedupes && r.repeats > 0)
          console.log(`  note: ${r.repeats} requests repeated pool bodies (dedupe hits): raise --pool`);
      }
    }
  }
  for (const mode of modes) {
    console.log(`\nSummary, ${mode}, ranges over ${rounds} rounds`);
    console.log('| server | req/s | p50 ms | p99 ms | server CPU % | wrk CPU % | generator-bound runs |');
    console.log('|---|---:|---:|---:|---:|---:|---:|');
    for (const s of chosen) {
      const rs = rows.filter((r) => r.mode === mode && r.server === s.name);
      console.log(
        `| ${s.name} | ${range(rs.map((r) => r.rps))} | ${range(
          rs.map((r) => r.p50),
          1,
        )} | ${range(
          rs.map((r) => r.p99),
          1,
        )} | ` +
          `${range(rs.map((r) => r.serverCpu ?? NaN))} | ${range(rs.map((r) => r.wrkCpu ?? NaN))} | ${rs.filter((r) => r.bound === 'GENERATOR').length} of ${rs.length} |`,
      );
    }
    const per = (key: string, round: number) =>
      rows.find(
        (r) => r.mode === mode && r.round === round && r.server === SERVERS.find((s) => s.key === key)!.name,
      );
    const ratio = (over: string, budget: number | null) => {
      const xs = [...Array(rounds).keys()]
        .map((i) => [per('wharf', i + 1), per(over, i + 1)] as const)
        .filter(([w, o]) => w && o)
        .map(([w, o]) => w!.rps / o!.rps);
      if (xs.length === 0) return;
      const verdict =
        budget === null ? '' : ` (budget ≥ ${budget}) ${Math.min(...xs) >= budget ? 'PASS' : 'FAIL'}`;
      console.log(`wharf / ${over} = ${range(xs, 2)}${verdict}`);
    };
    ratio('durable', 0.9);
    ratio('express', 3.5);
    ratio('bare', null);
    const w = rows.filter((r) => r.mode === mode && r.server === SERVERS[2]!.name);
    if (w.length > 0) {
      const worst = Math.max(...w.map((r) => r.p99));
      console.log(
        `wharf p99 = ${range(
          w.map((r) => r.p99),
          1,
        )} ms (budget ≤ 15 ms) ${worst <= 15 ? 'PASS' : 'FAIL'}`,
      );
    }
  }
  const streamRows: {
    streams: number;
    round: number;
    rps: number;
    p99: number;
    cpu: number | null;
    cpuPerRequest: number | null;
    /** Streams Wharf ended, and streams whose bytes matched no decoded stream's. */
    lost: number;
  }[] = [];
  if (streams > 0) {
    const mode = modes[0]!;
    const pinned = mode === 'pinned';
    console.log(
      `\nStreams: wharf --role all, ${mode}, without and with ${streams} open /api/v1/stream clients (${streamEncoding}, one in ${values['decode-every']} decompressed)` +
        (streamDelayMs > 0
          ? `, wrk paced: ${streamDelayMs} ms between requests per connection (--rate ${values.rate})`
          : ''),
    );
    console.log(
      '| round | streams | req/s | p50 ms | p99 ms | non-200 | server CPU % | server CPU µs/req | by thread | wrk CPU % | stream clients CPU % | stream bytes read | decoded | events per stream | streams ended | unverified |',
    );
    console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|');
    for (let round = 1; round <= rounds; round++) {
      for (const n of round % 2 === 1 ? [0, streams] : [streams, 0]) {
        const dir = mkdtempSync(join(tmpdir(), 'wharf-bench-'));
        const { child, match } = await startProcess(
          [process.execPath, ...wharfStartArgs()],
          pinned ? '1' : null,
          wharfEnv('all')(dir),
          /"port":(\d+)/,
        );
        const port = Number(match[1]);
        let clients: ChildProcess | null = null;
        try {
          if (n > 0)
            clients = (
              await startProcess(
                [
                  process.execPath,
                  'bench/stream-clients.mjs',
                  String(port),
                  TOKEN,
                  String(n),
                  streamEncoding,
                  values['decode-every'] as string,
                ],
                pinned ? '0' : null,
                {},
                /streams open \d+/,
              )
            ).child;
          let sent = 0;
          if (warmup > 0) sent += (await wrk(port, warmup, 0, pinned, undefined, streamDelayMs)).requests;
          const c0 = cpuSeconds(clients?.pid);
          const t0 = performance.now();
          const r = await wrk(port, duration, sent, pinned, child.pid, streamDelayMs);
          const c1 = cpuSeconds(clients?.pid);
          const clientsCpu =
            c0 === null || c1 === null ? null : (100 * (c1 - c0)) / ((performance.now() - t0) / 1000);
          const tail = clients ? await stop(clients) : '';
          const m =
            /streams bytes (\d+) decoded (\d+) events (-?\w+) (-?\w+) closed (\d+) unverified (\d+)/.exec(
              tail,
            );
          const perReq = r.serverCpu === null ? null : (r.serverCpu * 1e4) / r.rps;
          streamRows.push({
            streams: n,
            round,
            rps: r.rps,
            p99: r.p99,
            cpu: r.serverCpu,
            cpuPerRequest: perReq,
            lost: n > 0 && m ? Number(m[5]) + Number(m[6]) : n > 0 ? n : 0,
          });
          console.log(
            `| ${round} | ${n} | ${Math.round(r.rps)} | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} | ${r.non2xx} | ${fmt(r.serverCpu)} | ${fmt(perReq)} | ${r.threads} | ${fmt(r.wrkCpu)} | ${n > 0 ? fmt(clientsCpu) : '–'} | ${m?.[1] ?? '–'} | ${m?.[2] ?? '–'} | ${m ? `${m[3]} – ${m[4]}` : '–'} | ${m?.[5] ?? '–'} | ${m?.[6] ?? '–'} |`,
          );
        } finally {
          if (clients && clients.exitCode === null) await stop(clients);
          await stop(child);
          rmSync(dir, { recursive: true, force: true });
        }
      }
    }
    const pairs = [...Array(rounds).keys()].map((i) => ({
      without: streamRows.find((r) => r.round === i + 1 && r.streams === 0)!,
      withS: streamRows.find((r) => r.round === i + 1 && r.streams === streams)!,
    }));
    const costs = pairs.map(({ without, withS }) => 100 * (1 - withS.rps / without.rps));
    const worst = Math.max(...costs);
    // A stream that ended or could not be verified took less of Wharf than one that got everything.
    const lost = streamRows.reduce((sum, r) => sum + r.lost, 0);
    if (streamDelayMs === 0)
      console.log(
        `ingest cost of ${streams} streams = ${range(costs, 1)} % (budget < 20 %) ${worst < 20 && lost === 0 ? 'PASS' : 'FAIL'}` +
          (lost > 0 ? ` (${lost} streams ended early or unverified: not a figure)` : ''),
      );
    // What the streams add to Wharf's CPU per request, and the share of Wharf's core that leaves to
    // ingest (1 − without/with): the cost when Wharf's core, not the generator's, sets the pace.
    const cpuPairs = pairs.filter(({ without, withS }) => without.cpuPerRequest && withS.cpuPerRequest);
    if (cpuPairs.length > 0)
      console.log(
        `Wharf CPU per request added by ${streams} streams = ${range(
          cpuPairs.map(({ without, withS }) => withS.cpuPerRequest! - without.cpuPerRequest!),
        )} µs; as a share of Wharf's core (1 − without / with) = ${range(
          cpuPairs.map(({ without, withS }) => 100 * (1 - without.cpuPerRequest! / withS.cpuPerRequest!)),
          1,
        )} %`,
      );
  }
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    'bench/results/ingest.json',
    JSON.stringify(
      { at: new Date().toISOString(), connections, duration, warmup, rows, streamRows },
      null,
      2,
    ),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
