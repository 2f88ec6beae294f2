/**
 * CPU or instructions per request of the fast ingress, of this checkout and of others, alternating:
 * each round starts one server per checkout (pinned to CPU 1 with `--pin`), sends `--warmup`
 * requests, then `--requests` more over `--connections` keep-alive connections (one request in
 * flight on each, as wrk does) from this process, and reports per request the server's CPU µs
 * (its main thread, the event loop, and all its threads: /proc) over the measured requests.
 * The server: the fast path alone (bench/fast-ingress-cost-server.ts: the checkout's fast ingress
 * behind a stand-in group commit, no SQLite, no HMAC), or with `--wharf` Wharf's ingress as
 * bench:ingest starts it (`--role ingress`, unique signed status webhooks).
 * With `--callgrind`, the server runs under valgrind's callgrind, its counters zeroed after the
 * warm-up and dumped after the measured requests (callgrind_control): instructions per request,
 * which the machine's other load does not change. Everything then runs ~50 times slower: give a
 * fast-path checkout's read gate a budget it never reaches (`<checkout>=<ms>`).
 * With `--strace` (`--strace-only <calls>`), the system calls of every thread per request (strace
 * slows every call, which changes what a time-based gate does).
 * Usage: node --import tsx bench/fast-ingress-cost.ts <checkout>[=<gate budget ms>] ... [--rounds 3]
 *        [--requests 200000] [--warmup 50000] [--connections 64] [--commit-ms 1] [--pin]
 *        [--wharf] [--callgrind | --strace [--strace-only epoll_ctl]]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { signedStatus } from './ingest-payload.js';
import { cpuOf } from './forward-parts.js';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string', default: '3' },
    requests: { type: 'string', default: '200000' },
    warmup: { type: 'string', default: '50000' },
    connections: { type: 'string', default: '64' },
    'commit-ms': { type: 'string', default: '1' },
    pin: { type: 'boolean', default: false },
    callgrind: { type: 'boolean', default: false },
    wharf: { type: 'boolean', default: false },
    strace: { type: 'boolean', default: false },
    'strace-only': { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const requests = Number(values.requests);
const warmup = Number(values.warmup);
const connections = Number(values.connections);
const body = JSON.stringify({
  object: 'whatsapp_business_account',
  entry: [{ id: '1', changes: [] }],
  pad: 'x'.repeat(1400),
});
const FIXED = Buffer.from(
  `POST /webhooks/whatsapp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
    `X-Hub-Signature-256: sha256=${'0'.repeat(64)}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
);

const SECRET = 'fast-ingress-cost-secret';
let sent = 0;
/** The next request: with --wharf a unique signed status webhook (no dedupe short-cut), else one fixed POST. */
function nextRequest(): Buffer {
  if (!values.wharf) return FIXED;
  const { body, signature } = signedStatus(sent++, SECRET);
  return Buffer.from(
    `POST /webhooks/whatsapp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
      `X-Hub-Signature-256: ${signature}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

interface Server {
  child: ChildProcess;
  port: number;
  lines: AsyncIterator<string>;
  dir?: string;
}

async function start(checkout: string, budget: string | undefined, out: string): Promise<Server> {
  const vg = values.callgrind
    ? [
        'valgrind',
        '--tool=callgrind',
        '--cache-sim=no',
        '--smc-check=all-non-file',
        '--separate-threads=yes',
        `--callgrind-out-file=${out}`,
      ]
    : [];
  const pin = values.pin ? ['taskset', '-c', '1'] : [];
  if (values.wharf) {
    // Wharf's ingress as bench:ingest runs it, from the checkout (its own src and node_modules).
    const dir = mkdtempSync(join(tmpdir(), 'fast-ingress-cost-'));
    const argv = [...pin, ...vg, 'node', '--import', 'tsx', 'src/cli/bin.ts', 'start'];
    const child = spawn(argv[0] as string, argv.slice(1), {
      cwd: resolve(checkout),
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: `sqlite:${join(dir, 'bench.db')}`,
        WHATSAPP_APP_SECRET: SECRET,
        WHARF_API_TOKEN: 'fast-ingress-cost-token-0123456789',
        WHARF_LOG_LEVEL: 'info',
        WHARF_ROLE: 'ingress',
        // Under callgrind everything runs ~50 times slower: no 503 for a commit's queue time.
        ...(values.callgrind ? { WHARF_MAX_QUEUE_MS: '600000', WHARF_ANSWER_DEADLINE_MS: '600000' } : {}),
      },
    });
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    for (;;) {
      const next = await lines.next();
      if (next.done) throw new Error('Wharf exited before listening');
      const m = /listening (\d+)|"port":(\d+)/.exec(next.value);
      if (m) return { child, port: Number(m[1] ?? m[2]), lines, dir };
    }
  }
  const node = [
    'node',
    '--import',
    'tsx',
    'bench/fast-ingress-cost-server.ts',
    checkout,
    values['commit-ms'] as string,
  ];
  if (budget !== undefined) node.push(budget);
  const argv = [...pin, ...vg, ...node];
  const child = spawn(argv[0] as string, argv.slice(1), { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = (await lines.next()).value as string;
  const port = Number(/^PORT (\d+)/.exec(first)?.[1]);
  if (!port) throw new Error(`server said: ${first}`);
  return { child, port, lines };
}

/** Answers so far and CPU µs (all threads, and the main thread) of the server. */
async function mark(s: Server): Promise<{ answered: number; cpuUs: number; mainUs: number }> {
  const t = cpuOf(s.child.pid as number);
  return { answered: answeredTotal, cpuUs: t.totalMs * 1e3, mainUs: t.mainMs * 1e3 };
}

/** Sends `n` requests over the connections, one in flight on each, and waits for every answer. */
let answeredTotal = 0;
let non200 = 0;
function drive(socks: Socket[], n: number): Promise<void> {
  let started = 0;
  let done = 0;
  return new Promise((resolve) => {
    for (const sock of socks) {
      let carry = '';
      sock.removeAllListeners('data');
      const next = () => {
        if (started < n) {
          started++;
          sock.write(nextRequest());
        }
      };
      sock.on('data', (chunk: Buffer) => {
        const text = carry + chunk.toString('latin1');
        let at = 0;
        for (;;) {
          const i = text.indexOf('HTTP/1.1 ', at);
          if (i < 0) break;
          at = i + 9;
          if (text.slice(i + 9, i + 12) !== '200') non200++;
          answeredTotal++;
          done++;
          if (done === n) resolve();
          next();
        }
        carry = text.slice(Math.max(at, text.length - 8));
      });
      next();
    }
  });
}

const callgrindIr = (file: string): number => {
  // The dump callgrind_control -d writes (<file>.<n>): the totals line of each thread's part.
  const text = readFileSync(file, 'utf8');
  const m = /^summary: (\d+)/m.exec(text) ?? /^totals: (\d+)/m.exec(text);
  return Number(m?.[1] ?? NaN);
};

const results = new Map<string, number[]>();
for (let round = 1; round <= rounds; round++) {
  const order = round % 2 === 1 ? positionals : [...positionals].reverse();
  for (const spec of order) {
    const [checkout, budget] = spec.split('=') as [string, string | undefined];
    const out = `/tmp/fic-cg.${process.pid}.${round}.${results.size}.${Math.random().toString(36).slice(2, 8)}`;
    const s = await start(checkout, budget, out);
    const socks = await Promise.all(
      Array.from(
        { length: connections },
        () =>
          new Promise<Socket>((r) => {
            const c = connect(s.port, '127.0.0.1', () => r(c));
            c.setNoDelay(true);
          }),
      ),
    );
    await drive(socks, warmup);
    let perRequest: number;
    if (values.callgrind) {
      // valgrind names its gdbserver's files after $HOST, which Wharf's environment sets.
      const env = { ...process.env, ...(values.wharf ? { HOST: '127.0.0.1' } : {}) };
      spawnSync('callgrind_control', ['-z', String(s.child.pid)], { stdio: 'ignore', env });
      const a = await mark(s);
      await drive(socks, requests);
      const b = await mark(s);
      spawnSync('callgrind_control', ['-d', String(s.child.pid)], { stdio: 'ignore', env });
      const dumps = spawnSync('sh', ['-c', `ls ${out}.* 2>/dev/null`])
        .stdout.toString()
        .trim()
        .split('\n');
      // One file per thread (-01: the main thread, the event loop).
      const files = dumps.filter((f) => f !== '');
      const ir = files.map(callgrindIr).reduce((x, y) => x + y, 0);
      const main = files
        .filter((f) => f.endsWith('-01'))
        .map(callgrindIr)
        .reduce((x, y) => x + y, 0);
      perRequest = main / (b.answered - a.answered);
      console.log(
        `  ${spec}: main thread ${perRequest.toFixed(0)}, all threads ${(ir / (b.answered - a.answered)).toFixed(0)} instructions per request (${files.length} threads)`,
      );
    } else if (values.strace) {
      // The system calls of every thread during the measured requests, counted per request.
      const file = `${out}.strace`;
      const tracer = spawn(
        'strace',
        [
          '-f',
          '-c',
          // Only these calls stop the process (seccomp filter): the others run at full speed.
          ...(values['strace-only'] ? ['--seccomp-bpf', '-e', `trace=${values['strace-only']}`] : []),
          '-o',
          file,
          '-p',
          String(s.child.pid),
        ],
        { stdio: 'ignore' },
      );
      await new Promise((r) => setTimeout(r, 1500));
      const a = await mark(s);
      await drive(socks, requests);
      const b = await mark(s);
      const ended = new Promise((r) => tracer.once('exit', r));
      tracer.kill('SIGINT');
      await ended;
      const n = b.answered - a.answered;
      perRequest = 0;
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        const m = /^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)$/.exec(line);
        if (!m) continue;
        const calls = Number(m[1]) / n;
        perRequest += calls;
        if (calls >= 0.01) console.log(`  ${spec}: ${m[2]} ${calls.toFixed(3)} per request`);
      }
    } else {
      const a = await mark(s);
      await drive(socks, requests);
      const b = await mark(s);
      perRequest = (b.mainUs - a.mainUs) / (b.answered - a.answered);
      console.log(
        `  ${spec}: main thread ${perRequest.toFixed(2)}, all threads ${((b.cpuUs - a.cpuUs) / (b.answered - a.answered)).toFixed(2)} µs CPU per request`,
      );
    }
    for (const c of socks) c.destroy();
    const exited = new Promise((r) => s.child.once('exit', r));
    // Under callgrind its dump is taken: no need to wait for a graceful shutdown 50 times slower.
    if (values.wharf) s.child.kill(values.callgrind ? 'SIGKILL' : 'SIGTERM');
    else s.child.stdin!.write('exit\n');
    await exited;
    if (s.dir) rmSync(s.dir, { recursive: true, force: true });
    if (non200 > 0) console.log(`  ${non200} answers were not 200: this run's figures do not stand`);
    non200 = 0;
    const list = results.get(spec) ?? [];
    list.push(perRequest);
    results.set(spec, list);
    console.log(
      `round ${round} ${spec}: main thread ${values.callgrind ? `${perRequest.toFixed(0)} instructions` : `${perRequest.toFixed(2)} µs CPU`} per request`,
    );
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
for (const [spec, xs] of results)
  console.log(
    `${spec}: median ${median(xs).toFixed(values.callgrind ? 0 : 2)} of ${xs.map((x) => x.toFixed(values.callgrind ? 0 : 2)).join(', ')}`,
  );
