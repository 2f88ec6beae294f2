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
 * Then the streams phase: what live streams cost ingest, in alternating windows. Each round is one
 * Wharf `--role all` process (a fresh database) taking `--pairs` pairs of `--window` s windows,
 * without and with N open /api/v1/stream clients, in ABBA order (with first in every second pair,
 * so a drift over the round, such as the database growing, favours neither). A "with" window's
 * clients connect while Wharf is idle and take `--window-warm` s of load before the window is
 * measured; after each window Wharf is let go idle (its backlog processed and streamed, its CPU
 * counted to the window), the streams are checked against Wharf's newest event and closed, and
 * Wharf is idle again before the next window. Per pair the cost (1 − with / without req/s), their
 * median and spread, and the windows pooled by kind (req/s, Wharf CPU µs per request).
 * Options: --duration <s> (6) --warmup <s> (2) --connections <n> (64) --rounds <n> (3)
 *          --mode both|pinned|unpinned (both) --servers bare,durable,wharf,express (none: streams only)
 *          --wharf-base <checkout>: also Wharf's ingress run from that checkout (its own src and
 *            node_modules), in the same alternating rounds: an A/B of two versions in one run
 *          --pool <requests> (300000, or enough for one round of the streams phase at 9,000 req/s)
 *          --streams <n> (500; 0 skips the streams phase) --pairs <n> (4) --window <s> (4)
 *          --window-warm <s> (1): the streams phase's windows (--duration is the other phases')
 *          --stream-encoding gzip|identity (gzip: the stream clients ask for it, as browsers do)
 *          --decode-every <k> (10): the stream clients decompress one stream in k and check the others
 *            against them by bytes and CRC-32 (1: decompress all, the clients before 2026-12-07)
 *          --rate <req/s> (streams phase only; 0, the default: as fast as Wharf answers): paces wrk
 *            (each connection waits connections/rate s between requests), so both windows of a pair
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
import { warmMemory } from './warm-memory.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '6' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '64' },
    rounds: { type: 'string', default: '3' },
    mode: { type: 'string', default: 'both' },
    servers: { type: 'string', default: 'bare,durable,wharf,express' },
    pool: { type: 'string' },
    streams: { type: 'string', default: '500' },
    'stream-encoding': { type: 'string', default: 'gzip' },
    rate: { type: 'string', default: '0' },
    'decode-every': { type: 'string', default: '10' },
    'wharf-base': { type: 'string' },
    pairs: { type: 'string', default: '4' },
    window: { type: 'string', default: '4' },
    'window-warm': { type: 'string', default: '1' },
  },
});
const duration = Number(values.duration);
const warmup = Number(values.warmup);
const connections = Number(values.connections);
const rounds = Number(values.rounds);
const streams = Number(values.streams);
/** The streams phase: pairs of windows per round, each window's measured seconds and its unmeasured lead-in. */
const pairs = Number(values.pairs);
const windowSeconds = Number(values.window);
const windowWarm = Number(values['window-warm']);
/**
 * Requests one round of the streams phase can take at up to 9,000 req/s: a round is one Wharf
 * process (one database), so no body may come twice in it (a dedupe hit skips the durable write).
 */
const streamRoundRequests = streams > 0 ? 9000 * (warmup + 2 * pairs * (windowWarm + windowSeconds)) : 0;
const poolSize = values.pool === undefined ? Math.max(300_000, streamRoundRequests) : Number(values.pool);
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
    cmd: () => wharfStartArgs(),
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

/**
 * One wrk run against `port`; CPU of wrk and of the server sampled from wrk's start to its end. The
 * pool from `first` on, or (count > 0) only `count` requests from `first` (bench/wrk-pool.lua).
 */
async function wrk(
  port: number,
  seconds: number,
  first: number,
  pinned: boolean,
  serverPid?: number,
  delayMs = 0,
  count = 0,
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
    String(count),
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

/** One measured window of the streams phase. */
interface StreamWindow {
  round: number;
  pair: number;
  /** Open streams during the window (0: none). */
  streams: number;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  wrkCpu: number | null;
  clientsCpu: number | null;
  /**
   * Wharf's CPU (all threads; main: the event loop) from the window's start until it was idle
   * again, per request of the window: the processing and fan-out of the window's own requests
   * that ran after it included, and nothing left over for the next window.
   */
  cpuPerRequest: number | null;
  mainPerRequest: number | null;
  /** Of cpuPerRequest, what ran after the window's load ended (its drain). */
  drainPerRequest: number | null;
  drainSeconds: number;
  /** Wharf went idle within the wait (30 s); false: the next window may pay for this one. */
  settled: boolean;
  /** The events one stream got (fewest – most), or null without streams. */
  events: string | null;
  /** 'every event to every stream', '–' without streams, else what went wrong. */
  verdict: string;
  /** The window's figures stand (streams verified, Wharf idle after it, every answer a 200, no body repeated). */
  ok: boolean;
}

/**
 * Waits until Wharf is idle: under 5 % of a core in two consecutive quarter-seconds (its timers
 * and pollers only), 30 s at most. What a window left to do (the processing of its backlog, the
 * streams' batches) is then done before the next window starts.
 */
async function settle(pid: number | undefined): Promise<{ seconds: number; settled: boolean }> {
  const t0 = performance.now();
  let before = cpuSeconds(pid);
  let quiet = 0;
  while (performance.now() - t0 < 30_000) {
    await new Promise((r) => setTimeout(r, 250));
    const now = cpuSeconds(pid);
    if (now === null || before === null) return { seconds: 0, settled: false };
    quiet = now - before <= 0.0125 ? quiet + 1 : 0;
    before = now;
    if (quiet >= 2) return { seconds: (performance.now() - t0) / 1000, settled: true };
  }
  return { seconds: (performance.now() - t0) / 1000, settled: false };
}

/** Wharf's newest event id (GET /api/v1/events?limit=1). */
async function newestEventId(port: number): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/events?limit=1`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  const body = (await res.json()) as { data?: Array<{ id: string }> };
  return Number(body.data?.[0]?.id ?? 0);
}

/** CPU seconds of a process's threads between two samples: all of them, and its main thread. */
function spent(
  pid: number | undefined,
  a: Map<number, number> | null,
  b: Map<number, number> | null,
): { all: number; main: number } | null {
  if (!a || !b) return null;
  let all = 0;
  for (const [tid, sec] of b) all += sec - (a.get(tid) ?? 0);
  return { all, main: (b.get(pid!) ?? 0) - (a.get(pid!) ?? 0) };
}

/**
 * What the stream clients printed, checked: every stream ended by Wharf or whose bytes match no
 * decoded stream's, every decoded stream that did not start where the others did, missed an id
 * or did not reach Wharf's newest event (`newest`) fails the window.
 */
function verifyStreams(
  tail: string,
  newest: number,
): { events: string | null; verdict: string; ok: boolean } {
  const m =
    /events (-?\w+) (-?\w+) closed (\d+) unverified (\d+) ids (\S+) (\S+) (\S+) (\S+) gaps (\d+)/.exec(tail);
  if (!m) return { events: null, verdict: 'no report from the stream clients', ok: false };
  const [e0, e1, closed, unverified, s0, s1, l0, l1, gaps] = m.slice(1).map(Number) as number[];
  const events = e0 === e1 ? `${e0}` : `${e0} – ${e1}`;
  const problems = [
    closed! > 0 ? `${closed} ended` : '',
    unverified! > 0 ? `${unverified} unverified` : '',
    gaps! > 0 ? `${gaps} with missing ids` : '',
    s0 !== s1 ? `starts ${s0} – ${s1}` : '',
    l0 !== newest || l1 !== newest ? `last ids ${l0} – ${l1}, newest ${newest}` : '',
    e0 !== e1 || e0 !== newest - s0! ? `events ${events} of ${newest - s0!}` : '',
  ].filter((p) => p !== '');
  return problems.length === 0
    ? { events, verdict: 'every event to every stream', ok: true }
    : { events, verdict: problems.join(', '), ok: false };
}

/**
 * One round of the streams phase: one Wharf (`--role all`, a fresh database), a warm-up, then
 * `pairs` pairs of windows without and with the streams, ABBA (with first in every second pair).
 * Each window: the stream clients connect (for a "with" window) while Wharf is idle, `windowWarm`
 * s of load unmeasured, `windowSeconds` s measured, then Wharf's drain until idle (its CPU counted
 * to the window), the streams checked against Wharf's newest event and disconnected, and Wharf
 * idle again before the next window.
 */
async function streamRound(round: number, pinned: boolean): Promise<StreamWindow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'wharf-bench-'));
  const { child, match } = await startProcess(
    [process.execPath, ...wharfStartArgs()],
    pinned ? '1' : null,
    wharfEnv('all')(dir),
    /"port":(\d+)/,
  );
  const port = Number(match[1]);
  const pid = child.pid;
  const out: StreamWindow[] = [];
  let sent = 0;
  // wrk loads only the slice of the pool a run can take (three times the warm-up rate), not all of it.
  let perSecond = 20_000;
  const slice = (seconds: number) =>
    Math.max(1, Math.min(poolSize - sent, Math.ceil(perSecond * seconds) + 1000));
  try {
    const lead = Math.max(1, warmup);
    const w = await wrk(port, lead, sent, pinned, undefined, streamDelayMs, slice(lead));
    sent += w.requests;
    perSecond = Math.max(8000, 3 * w.rps);
    await settle(pid);
    for (let pair = 1; pair <= pairs; pair++)
      for (const n of pair % 2 === 1 ? [0, streams] : [streams, 0]) {
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
          let loaded = slice(windowWarm);
          let repeated = false;
          const lead = await wrk(port, windowWarm, sent, pinned, undefined, streamDelayMs, loaded);
          repeated ||= lead.requests > loaded;
          sent += lead.requests;
          loaded = slice(windowSeconds);
          const th0 = threadSeconds(pid);
          const c0 = cpuSeconds(clients?.pid);
          const t0 = performance.now();
          const r = await wrk(port, windowSeconds, sent, pinned, pid, streamDelayMs, loaded);
          repeated ||= r.requests > loaded;
          sent += r.requests;
          const c1 = cpuSeconds(clients?.pid);
          const clientsCpu =
            c0 === null || c1 === null ? null : (100 * (c1 - c0)) / ((performance.now() - t0) / 1000);
          const thEnd = threadSeconds(pid);
          const drain = await settle(pid);
          const th1 = threadSeconds(pid);
          let checked = { events: null as string | null, verdict: '–', ok: true };
          if (clients) {
            const newest = await newestEventId(port);
            checked = verifyStreams(await stop(clients), newest);
            await settle(pid);
          }
          const total = spent(pid, th0, th1);
          const after = spent(pid, thEnd, th1);
          const per = (x: number | undefined) => (x === undefined ? null : (1e6 * x) / r.requests);
          const problems = [
            repeated ? 'pool bodies repeated: raise --pool' : '',
            // A refused or failed answer (503 when overloaded) is cheaper than a stored one.
            r.non2xx + r.errors > 0 ? `${r.non2xx + r.errors} answers not 200` : '',
            drain.settled ? '' : 'Wharf not idle after 30 s',
          ].filter((p) => p !== '');
          out.push({
            round,
            pair,
            streams: n,
            requests: r.requests,
            rps: r.rps,
            p50: r.p50,
            p99: r.p99,
            non2xx: r.non2xx,
            errors: r.errors,
            wrkCpu: r.wrkCpu,
            clientsCpu: n > 0 ? clientsCpu : null,
            cpuPerRequest: per(total?.all),
            mainPerRequest: per(total?.main),
            drainPerRequest: per(after?.all),
            drainSeconds: drain.seconds,
            settled: drain.settled,
            events: checked.events,
            verdict: [checked.verdict, ...problems].join('; '),
            ok: checked.ok && problems.length === 0,
          });
        } finally {
          if (clients && clients.exitCode === null) await stop(clients);
        }
      }
    return out;
  } finally {
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/**
 * The streams' cost from the windows: each pair's (the two windows next to each other in one
 * process), their median and spread, and the windows pooled by kind (requests over seconds, CPU
 * over requests). The verdict is the pooled rate's cost (< 20 %), given only when every window
 * stands (streams verified, Wharf idle after it).
 */
function reportStreamWindows(ws: readonly StreamWindow[]): void {
  const pairsOf = [...new Set(ws.map((w) => `${w.round}:${w.pair}`))].map((key) => {
    const of = ws.filter((w) => `${w.round}:${w.pair}` === key);
    return { without: of.find((w) => w.streams === 0)!, withS: of.find((w) => w.streams > 0)! };
  });
  const pct = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)}`;
  const costs = pairsOf.map(({ without, withS }) => 100 * (1 - withS.rps / without.rps));
  const cpuAdded = pairsOf.map(({ without, withS }) => withS.cpuPerRequest! - without.cpuPerRequest!);
  const pooled = (streamsOn: boolean) => {
    const of = ws.filter((w) => w.streams > 0 === streamsOn);
    const requests = of.reduce((n, w) => n + w.requests, 0);
    const seconds = of.reduce((n, w) => n + w.requests / w.rps, 0);
    const cpu = of.reduce((n, w) => n + (w.cpuPerRequest ?? NaN) * w.requests, 0) / requests;
    const main = of.reduce((n, w) => n + (w.mainPerRequest ?? NaN) * w.requests, 0) / requests;
    return { rps: requests / seconds, cpu, main };
  };
  const a = pooled(false);
  const b = pooled(true);
  const pooledCost = 100 * (1 - b.rps / a.rps);
  const bad = ws.filter((w) => !w.ok).length;
  console.log(
    `per pair, the cost of ${streams} streams (1 − with / without req/s): ${costs.map(pct).join(', ')} %; ` +
      `median ${pct(median(costs))} %, spread ${pct(Math.min(...costs))} – ${pct(Math.max(...costs))}`,
  );
  console.log(
    `per pair, Wharf CPU per request added: ${cpuAdded.map((x) => x.toFixed(1)).join(', ')} µs; median ${median(cpuAdded).toFixed(1)} µs`,
  );
  console.log(
    `pooled over ${pairsOf.length} pairs: without ${Math.round(a.rps)} req/s at ${a.cpu.toFixed(1)} µs/req (main ${a.main.toFixed(1)}), ` +
      `with ${Math.round(b.rps)} req/s at ${b.cpu.toFixed(1)} µs/req (main ${b.main.toFixed(1)}): ` +
      `+${(b.cpu - a.cpu).toFixed(1)} µs per request, ${(100 * (1 - a.cpu / b.cpu)).toFixed(1)} % of Wharf's core (1 − without / with CPU)`,
  );
  if (streamDelayMs === 0)
    console.log(
      `ingest cost of ${streams} streams, pooled = ${pooledCost.toFixed(1)} % (median of the pairs ${median(costs).toFixed(1)} %; budget < 20 %) ` +
        (bad > 0
          ? `not a figure: ${bad} windows did not stand (see "verified")`
          : pooledCost < 20
            ? 'PASS'
            : 'FAIL'),
    );
  else console.log('wrk paced (--rate): compare the CPU per request above; the rates are the pace');
}

ensureWrk();
warmMemory();
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
  const streamWindows: StreamWindow[] = [];
  if (streams > 0) {
    const mode = modes[0]!;
    console.log(
      `\nStreams: wharf --role all, ${mode}, one process per round, ${pairs} pairs of ${windowSeconds} s windows ` +
        `(each after ${windowWarm} s of load unmeasured) without and with ${streams} open /api/v1/stream clients ` +
        `(${streamEncoding}, one in ${values['decode-every']} decompressed), ABBA order, Wharf idle between windows` +
        (streamDelayMs > 0
          ? `, wrk paced: ${streamDelayMs} ms between requests per connection (--rate ${values.rate})`
          : ''),
    );
    console.log(
      '| round | pair | streams | req/s | p50 ms | p99 ms | non-200 | Wharf CPU µs/req: all (main) | of it after the window | drain s | wrk CPU % | stream clients CPU % | events per stream | verified |',
    );
    console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
    for (let round = 1; round <= rounds; round++)
      for (const w of await streamRound(round, mode === 'pinned')) {
        streamWindows.push(w);
        console.log(
          `| ${w.round} | ${w.pair} | ${w.streams} | ${Math.round(w.rps)} | ${fmt(w.p50, 1)} | ${fmt(w.p99, 1)} | ${w.non2xx} | ` +
            `${fmt(w.cpuPerRequest)} (${fmt(w.mainPerRequest)}) | ${fmt(w.drainPerRequest)} | ${w.drainSeconds.toFixed(1)}${w.settled ? '' : ' (not idle)'} | ` +
            `${fmt(w.wrkCpu)} | ${w.streams > 0 ? fmt(w.clientsCpu) : '–'} | ${w.events ?? '–'} | ${w.verdict} |`,
        );
      }
    reportStreamWindows(streamWindows);
  }
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    'bench/results/ingest.json',
    JSON.stringify(
      { at: new Date().toISOString(), connections, duration, warmup, rows, streamWindows },
      null,
      2,
    ),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
