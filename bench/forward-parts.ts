/**
 * Parts of bench/forward.ts: a Wharf process and the receivers a destination delivers to (a
 * keep-alive HTTP server, a NATS JetStream subscription, a MariaDB table). Loopback only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { once } from 'node:events';
import { readFileSync, readdirSync } from 'node:fs';
import { connect, type NatsConnection } from 'nats';
import { createConnection as createMysqlConnection } from 'mysql2/promise';
import { SECRET, TOKEN, sleep } from './signed-load.js';
import { freePort } from '../test/helpers/spawn-wharf.js';
import { wharfStartArgs } from './wharf-start-args.js';

export { SECRET, TOKEN, EVENTS_PER_DELIVERY, pct, sleep, load, type LoadResult } from './signed-load.js';

export interface WharfProcess {
  readonly base: string;
  readonly pid: number;
  /** CPU the process has used so far, ms: all its threads, and its main thread (which answers webhooks). */
  cpu(): CpuSample;
  api(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  stop(): Promise<void>;
}

/**
 * `wharf start` (SQLite) in its own process: role all unless `role` says otherwise; with
 * `forwarding`, private addresses allowed (the receivers are on loopback); from `cli` (src, the
 * default, or the built dist: wharf-start-args.ts). BENCH_WHARF_NODE_ARGS adds
 * node options to it (e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`, which NODE_OPTIONS refuses): a
 * profile of every thread of the process.
 */
export async function startWharf(
  db: string,
  options: { role?: string; forwarding?: boolean; cli?: 'src' | 'dist' } = {},
): Promise<WharfProcess> {
  const port = await freePort();
  const roleArgs = options.role === undefined ? [] : ['--role', options.role];
  const child: ChildProcess = spawn(process.execPath, [...wharfStartArgs(options.cli), ...roleArgs], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${db}`,
      WHATSAPP_APP_SECRET: SECRET,
      WHARF_API_TOKEN: TOKEN,
      ...(options.forwarding === true ? { WHARF_DESTINATIONS_ALLOW_PRIVATE: 'true' } : {}),
      WHARF_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as unknown) : null };
  };
  const stop = async () => {
    child.kill('SIGTERM');
    if (child.exitCode === null) await once(child, 'exit');
  };
  for (let i = 0; i < 400; i++) {
    if (
      await api('GET', '/readyz').then(
        (r) => r.status === 200,
        () => false,
      )
    )
      return { base, pid: child.pid ?? 0, api, stop, cpu: () => cpuOf(child.pid ?? 0) };
    await sleep(50);
  }
  await stop();
  throw new Error('wharf did not start within 20 s');
}

export interface CpuSample {
  readonly totalMs: number;
  readonly mainMs: number;
  /** CPU so far of each thread but the main one, ms, by thread id (Node names none of its threads). */
  readonly threads: ReadonlyMap<number, number>;
}

/**
 * CPU time from /proc (Linux), in ms: unlike wall-clock rates, it hardly moves when other work
 * shares the machine, so it compares runs taken under load. utime + stime are fields 14 and 15.
 */
const TICK_MS = 1000 / Number(process.env['CLK_TCK'] ?? 100);
export function cpuOf(pid: number): CpuSample {
  const ticks = (path: string) => {
    try {
      const fields = readFileSync(path, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    } catch {
      return 0; // the thread ended between the listing and the read
    }
  };
  const threads = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`))
    if (Number(tid) !== pid) threads.set(Number(tid), ticks(`/proc/${pid}/task/${tid}/stat`));
  return { totalMs: ticks(`/proc/${pid}/stat`), mainMs: ticks(`/proc/${pid}/task/${pid}/stat`), threads };
}

/**
 * CPU per event between two samples, µs: main thread, all threads, and the busiest other threads
 * (during a drain the first is the dispatch writer thread; the rest are mostly V8's GC helpers),
 * as µs alone (`othersUs`) and with their thread ids (`others`).
 */
export function cpuPerEvent(a: CpuSample, b: CpuSample, events: number) {
  const us = (ms: number) => (ms * 1000) / Math.max(1, events);
  const others = [...b.threads]
    .map(([tid, ms]) => ({ tid, us: us(ms - (a.threads.get(tid) ?? 0)) }))
    .sort((x, y) => y.us - x.us)
    .slice(0, 8);
  return {
    mainUs: us(b.mainMs - a.mainMs),
    totalUs: us(b.totalMs - a.totalMs),
    others,
    othersUs: others.map((t) => t.us),
  };
}

/** Arrival times by wamid, whichever receiver got the event. */
export type Arrivals = Map<string, number>;

function arrived(arrivals: Arrivals, body: string) {
  const at = performance.now();
  let wamid: string | undefined;
  try {
    wamid = (JSON.parse(body) as { wamid?: string }).wamid;
  } catch {
    return; // not an event of this run: not counted
  }
  if (wamid !== undefined && !arrivals.has(wamid)) arrivals.set(wamid, at);
}

/** A keep-alive HTTP receiver answering 200 at once. */
export async function startHttpReceiver(arrivals: Arrivals) {
  const server = createHttpServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      arrived(arrivals, Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-length': '0' }).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hook`,
    close: () => (server.closeAllConnections(), new Promise<void>((r) => server.close(() => r()))),
  };
}

/** A JetStream stream capturing `<prefix>.>` and a subscription recording each message's arrival. */
export async function startNatsReceiver(url: string, prefix: string, arrivals: Arrivals) {
  const nc: NatsConnection = await connect({ servers: url });
  const jsm = await nc.jetstreamManager();
  const stream = prefix.replace(/[^A-Za-z0-9_-]/g, '_');
  await jsm.streams.add({ name: stream, subjects: [`${prefix}.>`], max_age: 600 * 1e9 });
  const decoder = new TextDecoder();
  const sub = nc.subscribe(`${prefix}.>`, { callback: (_e, m) => arrived(arrivals, decoder.decode(m.data)) });
  return {
    close: async () => {
      sub.unsubscribe();
      await jsm.streams.delete(stream);
      await nc.close();
    },
  };
}

/**
 * A MariaDB/MySQL database of its own for the `mysql` sink, polled for new rows (by the table's
 * auto-increment id) every few milliseconds: a row's arrival is when the poll first sees it, so
 * arrival times are late by at most one poll (a few ms against drains of seconds).
 */
export async function startMysqlReceiver(serverUrl: string, arrivals: Arrivals) {
  const server = await createMysqlConnection({ uri: serverUrl });
  const database = `wharf_bench_${process.pid}`;
  await server.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await server.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4`);
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  const table = 'wa_events';
  const reader = await createMysqlConnection({ uri: u.toString() });
  let lastId = 0;
  let stopped = false;
  const poll = async () => {
    while (!stopped) {
      try {
        const [rows] = await reader.query(
          `SELECT id, wamid FROM \`${table}\` WHERE id > ? ORDER BY id LIMIT 20000`,
          [lastId],
        );
        const at = performance.now();
        for (const r of rows as Array<{ id: number; wamid: string | null }>) {
          lastId = Math.max(lastId, Number(r.id));
          if (r.wamid !== null && !arrivals.has(r.wamid)) arrivals.set(r.wamid, at);
        }
      } catch {
        // the table is created by the sink's first write
      }
      await sleep(5);
    }
  };
  const polling = poll();
  return {
    url: u.toString(),
    table,
    close: async () => {
      stopped = true;
      await polling;
      await reader.end();
      await server.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await server.end();
    },
  };
}
