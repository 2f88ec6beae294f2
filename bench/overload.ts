/**
 * npm run bench:overload — Wharf's ingress far past what one process can commit: N keep-alive
 * connections (default 10,000) each sending signed ≈1.5 KB POSTs back to back for a fixed time.
 * Every answer should be a 200 within the ack budget or a fast 503 + Retry-After (shedding on the
 * age of the oldest pending commit, WHARF_MAX_QUEUE_MS); the report gives p50/p99 of each, per
 * status, timed from the request's first byte written to its answer's last byte read.
 * Options: --connections <n> (10000) --duration <s> (10) --warmup <s> (2). Needs `ulimit -n` above
 * the connection count. Run it on a quiet machine; results belong in docs/benchmarks.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { signedStatus } from './ingest-payload.js';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '10000' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
  },
});
const connections = Number(values.connections);
const duration = Number(values.duration);
const warmup = Number(values.warmup);
const SECRET = 'bench-secret';

async function startWharf(dir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'start'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${join(dir, 'overload.db')}`,
      WHATSAPP_APP_SECRET: SECRET,
      WHARF_LOG_LEVEL: 'info',
      WHARF_ROLE: 'ingress',
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
    sock.on('error', () => samples.recording && samples.errors++);
    sock.on('close', () => {
      if (stop.now) return resolve();
      // Refused connections (503 with Connection: close) come back, as Meta's retries would.
      resolve(sender(port, n, samples, stop));
    });
  });
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

const dir = mkdtempSync(join(tmpdir(), 'wharf-overload-'));
const { child, port } = await startWharf(dir);
try {
  const samples: Samples = { recording: false, byStatus: new Map(), errors: 0 };
  const stop = { now: false };
  const all = Array.from({ length: connections }, (_, i) => sender(port, i * 1_000_000, samples, stop));
  await new Promise((r) => setTimeout(r, warmup * 1000));
  samples.recording = true;
  await new Promise((r) => setTimeout(r, duration * 1000));
  samples.recording = false;
  stop.now = true;
  await Promise.race([Promise.all(all), new Promise((r) => setTimeout(r, 5000))]);
  console.log(
    `\nOverload benchmark: ${connections} keep-alive connections, ${duration}s (+${warmup}s warm-up), ${cpus().length} cores, ${cpus()[0]?.model}`,
  );
  console.log('| answer | count | per s | p50 ms | p99 ms | max ms |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const [status, list] of [...samples.byStatus].sort((a, b) => a[0] - b[0])) {
    list.sort((a, b) => a - b);
    console.log(
      `| ${status} | ${list.length} | ${Math.round(list.length / duration)} | ${quantile(list, 0.5).toFixed(1)} | ${quantile(list, 0.99).toFixed(1)} | ${(list.at(-1) ?? NaN).toFixed(1)} |`,
    );
  }
  console.log(`connection errors: ${samples.errors}`);
  const shed = samples.byStatus.get(503) ?? [];
  if (shed.length > 0) console.log(`503 p99 = ${quantile(shed, 0.99).toFixed(1)} ms (target < 5 ms)`);
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
