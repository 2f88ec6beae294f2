/**
 * Scale-out on PostgreSQL (design §5: processing grows ≥ 0.8 × N with N worker processes up to the
 * database's limit). Usage: npm run bench:scale [-- --deliveries 20000 --seconds 5 --workers 3]
 * with WHARF_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 *
 *   ingest      one `wharf start --role ingress` process, 64 keep-alive connections of unique
 *               signed ≈1.5 KB status webhooks (bench/ingest-payload.ts): durable 200s per second.
 *   processing  a fixed backlog (the load mode's deliveries: three statuses each) committed to the
 *               inbox at once, drained by N `wharf start --role worker` processes started before it
 *               (fresh schema each): events per second from the inbox commit to the last mark.
 * Every schema it creates is dropped at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import autocannon from 'autocannon';
import pg from 'pg';
import { signedStatus } from './ingest-payload.js';
import { createLoadBodies } from '../src/simulator/load-bodies.js';
import { serializeLikeMeta } from '../src/simulator/escape-json.js';
import { freePort } from '../test/helpers/spawn-wharf.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const DELIVERIES = arg('deliveries', 20_000);
const SECONDS = arg('seconds', 5);
const MAX_WORKERS = arg('workers', 3);
const SECRET = 'bench-scale-secret';
const SERVER = process.env.WHARF_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const admin = new pg.Pool({ connectionString: SERVER, max: 2 });
const prefix = `wharf_bench_${randomBytes(3).toString('hex')}`;
const schemas: string[] = [];

async function freshSchema(): Promise<{ schema: string; url: string }> {
  const schema = `${prefix}_${schemas.length + 1}`;
  schemas.push(schema);
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = new URL(SERVER);
  url.searchParams.set('schema', schema);
  return { schema, url: url.toString() };
}

/** `wharf start --role <role>`, resolved once it listens. */
async function startWharf(role: string, url: string): Promise<ChildProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'start', '--role', role], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      WHATSAPP_APP_SECRET: SECRET,
      HOST: '127.0.0.1',
      PORT: String(port),
      WHARF_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('wharf listening')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`wharf ${role} exited (${code}): ${out}`)));
  });
  child.stdout?.resume();
  Object.assign(child, { port });
  return child;
}

async function stop(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          c.removeAllListeners('exit');
          c.once('exit', () => resolve());
          c.kill('SIGTERM');
        }),
    ),
  );
}

async function ingest(): Promise<number> {
  const { url, schema } = await freshSchema();
  const child = await startWharf('ingress', url);
  const port = (child as ChildProcess & { port: number }).port;
  let n = 0;
  try {
    const r = await autocannon({
      url: `http://127.0.0.1:${port}/webhooks/whatsapp`,
      connections: 64,
      duration: SECONDS,
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => {
            const { body, signature } = signedStatus(n++, SECRET);
            return {
              ...req,
              body,
              headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
            };
          },
        },
      ],
    });
    const ok = r['2xx'];
    const stored = await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.deliveries`);
    const perSecond = ok / SECONDS;
    console.log(
      `ingest       1 ingress process: ${ok} durable 200s in ${SECONDS} s = ${Math.round(perSecond).toLocaleString('en')} deliveries/s, ` +
        `p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}, rows ${stored.rows[0]?.n}`,
    );
    return perSecond;
  } finally {
    await stop([child]);
  }
}

/** The backlog, inserted in ONE transaction so every worker sees all of it at once (one NOTIFY). */
async function insertBacklog(schema: string, bodies: readonly Buffer[]): Promise<void> {
  const hashes = bodies.map((b) => createHash('sha256').update(b).digest('hex'));
  await admin.query(
    `WITH stored AS (
       INSERT INTO ${schema}.deliveries (received_at, body_hash, body, size, secret_index, request_id)
       SELECT $1, h, b, length(b), 0, 'bench' FROM unnest($2::text[], $3::bytea[]) AS u(h, b) RETURNING 1
     ) SELECT pg_notify($4, '') FROM (SELECT 1 FROM stored LIMIT 1) s`,
    [Date.now(), hashes, bodies, `wharf_inbox_${schema}`],
  );
}

async function processing(workers: number, bodies: readonly Buffer[]): Promise<number> {
  const { url, schema } = await freshSchema();
  // The workers start (and migrate, one at a time under the advisory lock) before the backlog exists,
  // so their start-up is not timed.
  const children = await Promise.all(Array.from({ length: workers }, () => startWharf('worker', url)));
  try {
    const t0 = performance.now();
    await insertBacklog(schema, bodies);
    for (;;) {
      const r = await admin.query<{ left: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM ${schema}.deliveries WHERE state IN ('pending', 'processing')) AS left`,
      );
      if (!r.rows[0]?.left) break;
      await new Promise((res) => setTimeout(res, 20));
    }
    const ms = performance.now() - t0;
    const events =
      (await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.events`)).rows[0]?.n ?? 0;
    const perSecond = (events / ms) * 1000;
    console.log(
      `processing   ${workers} worker process${workers > 1 ? 'es' : ''}: ${bodies.length} deliveries, ${events} events in ${ms.toFixed(0)} ms = ` +
        `${Math.round(perSecond).toLocaleString('en')} events/s`,
    );
    return perSecond;
  } finally {
    await stop(children);
  }
}

try {
  const version = (await admin.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]
    ?.v;
  console.log(
    `PostgreSQL ${version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}) shared by PostgreSQL, Wharf and the load generator; Node ${process.version}`,
  );
  const ingestRate = await ingest();
  const next = createLoadBodies({ seed: 1, now: 1767225600 });
  const bodies = Array.from({ length: DELIVERIES }, (_, i) => Buffer.from(serializeLikeMeta(next(i))));
  const rates: number[] = [];
  for (let n = 1; n <= MAX_WORKERS; n++) rates.push(await processing(n, bodies));
  const one = rates[0] ?? 1;
  console.log(`\nsummary: ingest ${Math.round(ingestRate).toLocaleString('en')} deliveries/s`);
  rates.forEach((r, i) =>
    console.log(
      `  ${i + 1} worker(s): ${Math.round(r).toLocaleString('en')} events/s, ${(r / one).toFixed(2)} × one worker` +
        (i > 0
          ? ` (goal ≥ ${(0.8 * (i + 1)).toFixed(1)} ×; vs ${i} worker(s): ${(r / (rates[i - 1] ?? 1)).toFixed(2)} ×)`
          : ''),
    ),
  );
} finally {
  for (const s of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await admin.end();
}
