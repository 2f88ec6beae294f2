/**
 * Parts of bench/forward.ts: a Wharf process, the signed webhook load, and the two receivers a
 * destination delivers to (a keep-alive HTTP server and a NATS JetStream subscription). Loopback only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createHttpServer, Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { connect, type NatsConnection } from 'nats';
import { signBody } from '../src/core/verify-signature.js';
import { createLoadBodies } from '../src/simulator/load-bodies.js';
import { serializeLikeMeta } from '../src/simulator/escape-json.js';

export const SECRET = 'bench-secret';
export const TOKEN = 'bench-token';
/** createLoadBodies sends three statuses per delivery (reference §1.5). */
export const EVENTS_PER_DELIVERY = 3;

export const pct = (xs: readonly number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : (s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number);
};
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

export interface WharfProcess {
  readonly base: string;
  api(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  stop(): Promise<void>;
}

/** `wharf start` (role all, SQLite) in its own process, private addresses allowed (the receivers are on loopback). */
export async function startWharf(db: string): Promise<WharfProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'start'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${db}`,
      WHATSAPP_APP_SECRET: SECRET,
      WHARF_API_TOKEN: TOKEN,
      WHARF_DESTINATIONS_ALLOW_PRIVATE: 'true',
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
      return { base, api, stop };
    await sleep(50);
  }
  await stop();
  throw new Error('wharf did not start within 20 s');
}

export interface LoadResult {
  readonly acks: number[];
  readonly sent: number;
  readonly failures: number;
}

/**
 * Sends signed status deliveries: at `rate` events/s for `seconds`, or (rate 0) `deliveries` of them
 * as fast as 64 keep-alive connections take them. `onAck` gets each delivery's wamids and its 200 time.
 */
export async function load(
  base: string,
  o: { rate: number; seconds: number; deliveries: number; seed: number },
  onAck: (wamids: string[], at: number) => void,
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const next = createLoadBodies({ seed: o.seed, now: Math.floor(Date.now() / 1000) });
  const acks: number[] = [];
  let sent = 0;
  let failures = 0;
  const inflight = new Set<Promise<void>>();
  const send = (i: number) => {
    const delivery = next(i);
    const body = serializeLikeMeta(delivery);
    const wamids = delivery.entry.flatMap((e) =>
      e.changes.flatMap((c) => ((c.value['statuses'] as Array<{ id: string }>) ?? []).map((s) => s.id)),
    );
    const t0 = performance.now();
    const p = new Promise<void>((resolve) => {
      const req = request(`${base}/webhooks/whatsapp`, {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(body, SECRET) },
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => {
          const at = performance.now();
          if (res.statusCode === 200) {
            acks.push(at - t0);
            onAck(wamids, at);
          } else failures++;
          resolve();
        });
      });
      req.on('error', () => (failures++, resolve()));
      req.end(body);
    });
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  };
  const started = performance.now();
  if (o.rate === 0) {
    while (sent < o.deliveries) {
      while (inflight.size < 64 && sent < o.deliveries) send(sent++);
      await Promise.race(inflight);
    }
  } else {
    const perMs = o.rate / EVENTS_PER_DELIVERY / 1000;
    while (performance.now() - started < o.seconds * 1000) {
      const due = Math.floor((performance.now() - started) * perMs);
      while (sent < due) send(sent++);
      await sleep(2);
    }
  }
  await Promise.all([...inflight]);
  agent.destroy();
  return { acks, sent, failures };
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
