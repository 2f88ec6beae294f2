/**
 * Sending throughput: POST /api/v1/messages through a Wharf process (SQLite, guards on) to the local
 * Graph API mock. Usage: npm run bench:send [-- --numbers 64 --seconds 10 --connections 128]
 *
 * 1. Throughput: texts to contacts whose 24 h window is open (seeded in the database, so every send
 *    runs the window guard against stored state), spread over `--numbers` business numbers at
 *    WHARF_SEND_RATE_PER_NUMBER 80 each, from `--connections` keep-alive connections. Budget:
 *    ≥ 2,000 sends/s (Meta allows up to 1,000 messages/s per number). Every 201 must be one send the
 *    mock accepted.
 * 2. The per-number limit: one number, more senders than its rate, for `--limit-seconds`; the rate
 *    the mock saw must be within 5 % of WHARF_SEND_RATE_PER_NUMBER (80).
 * Exits 1 when a budget is missed. Wall-clock figures need a quiet machine.
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';
import { openDatabase } from '../src/adapters/sqlite/open-database.js';
import { migrate } from '../src/adapters/sqlite/migrate.js';
import { startGraphMock } from '../src/testing.js';
import { spawnWharf } from '../test/helpers/spawn-wharf.js';
import { tempDir } from '../test/helpers/temp-dir.js';

const BUDGET_SENDS_PER_SECOND = 2000;
const RATE = 80;
const TOLERANCE = 0.05;
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const numbers = arg('numbers', 64);
const seconds = arg('seconds', 10);
const connections = arg('connections', 128);
const limitSeconds = arg('limit-seconds', 5);
const CONTACTS_PER_NUMBER = 20;
const TOKEN = 'bench-graph-token';
const API = 'bench-api-token';

/** CPU seconds (user + system) a process has used so far, from /proc (Linux): repeatable under load, unlike wall time. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const pnid = (i: number) => String(900000000000100 + i);
const waId = (n: number, c: number) => `4477${String(n).padStart(4, '0')}${String(c).padStart(4, '0')}`;

/** Conversations with an open window for every (number, contact), as the processor would have stored them. */
function seed(path: string, now: number): void {
  const db = openDatabase(path);
  migrate(db, now);
  const row = db.prepare(
    `INSERT INTO conversations (phone_number_id, contact_key, first_at, last_activity_at, last_inbound_at)
     VALUES (?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (let n = 0; n < numbers + 1; n++)
      for (let c = 0; c < CONTACTS_PER_NUMBER; c++) row.run(pnid(n), `wa:${waId(n, c)}`, now, now, now);
  })();
  db.close();
}

interface Run {
  readonly ok: number;
  readonly other: Map<number, number>;
  readonly elapsedMs: number;
}

/** `workers` loops sending back to back for `ms`; `pick(i)` says which number and contact the i-th send goes to. */
async function load(
  pool: Pool,
  workers: number,
  ms: number,
  pick: (i: number) => [number, number],
): Promise<Run> {
  let i = 0;
  let ok = 0;
  const other = new Map<number, number>();
  const start = performance.now();
  const end = start + ms;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < end) {
        const [n, c] = pick(i++);
        const res = await pool.request({
          path: '/api/v1/messages',
          method: 'POST',
          headers: { authorization: `Bearer ${API}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            phone_number_id: pnid(n),
            to: waId(n, c),
            type: 'text',
            text: { body: `bench ${i}` },
          }),
        });
        await res.body.text();
        if (res.statusCode === 201) ok++;
        else other.set(res.statusCode, (other.get(res.statusCode) ?? 0) + 1);
      }
    }),
  );
  return { ok, other, elapsedMs: performance.now() - start };
}

const dir = tempDir('wharf-bench-send-');
const dbPath = join(dir.path, 'wharf.db');
seed(dbPath, Date.now());
const mock = await startGraphMock({ accessToken: TOKEN, throughputPerNumber: 1000, enforceWindow: false });
const wharf = await spawnWharf({
  DATABASE_URL: `sqlite:${dbPath}`,
  WHATSAPP_APP_SECRET: 'bench-secret',
  WHARF_API_TOKEN: API,
  WHATSAPP_ACCESS_TOKEN: TOKEN,
  WHATSAPP_GRAPH_URL: mock.url,
  WHARF_SEND_RATE_PER_NUMBER: String(RATE),
  WHARF_LOG_LEVEL: 'info',
  WHARF_LOG_DELIVERIES: 'false',
});
const pool = new Pool(`http://127.0.0.1:${wharf.port}`, { connections, pipelining: 1 });
let failed = false;
try {
  // Warm-up: connections, statement caches, JIT.
  await load(pool, Math.min(connections, numbers), 1000, (i) => [i % numbers, i % CONTACTS_PER_NUMBER]);
  const before = mock.state.sends.length;
  const cpuBefore = cpuSeconds(wharf.child.pid as number);
  const t = await load(pool, connections, seconds * 1000, (i) => [
    i % numbers,
    (i >> 6) % CONTACTS_PER_NUMBER,
  ]);
  const rate = t.ok / (t.elapsedMs / 1000);
  const cpuPerSend = (cpuSeconds(wharf.child.pid as number) - cpuBefore) / Math.max(1, t.ok);
  const accepted = mock.state.sends.length - before;
  const met = rate >= BUDGET_SENDS_PER_SECOND && accepted === t.ok;
  failed ||= !met;
  console.log(
    `sending (SQLite, guards on, ${numbers} numbers × ${RATE}/s, ${connections} connections, ${seconds} s)`,
  );
  console.log(
    `  ${t.ok} sends answered 201 in ${(t.elapsedMs / 1000).toFixed(2)} s: ${Math.round(rate)} sends/s`,
  );
  console.log(
    `  Wharf process CPU per send: ${(cpuPerSend * 1e6).toFixed(0)} µs (one core → at most ${Math.round(1 / cpuPerSend)} sends/s)`,
  );
  console.log(
    `  other answers: ${JSON.stringify(Object.fromEntries(t.other))}; the mock accepted ${accepted}`,
  );
  console.log(
    `  budget ≥ ${BUDGET_SENDS_PER_SECOND} sends/s and one Meta send per 201: ${met ? 'met' : 'NOT met'}`,
  );

  // The per-number limit: one number, more senders at once than it may send in half a second.
  const one = numbers;
  const from = mock.state.sends.length;
  const l = await load(pool, RATE / 2, limitSeconds * 1000, (i) => [one, i % CONTACTS_PER_NUMBER]);
  const times = mock.state.sends
    .slice(from)
    .filter((s) => s.phoneNumberId === pnid(one))
    .map((s) => s.at);
  const spanS = ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1000;
  const observed = spanS > 0 ? (times.length - 1) / spanS : 0;
  const held = Math.abs(observed - RATE) <= RATE * TOLERANCE;
  failed ||= !held;
  console.log(
    `per-number limit (WHARF_SEND_RATE_PER_NUMBER=${RATE}, ${RATE / 2} senders, ${limitSeconds} s)`,
  );
  console.log(
    `  Meta received ${times.length} sends over ${spanS.toFixed(2)} s: ${observed.toFixed(1)}/s (${l.ok} answered 201)`,
  );
  console.log(`  within ${TOLERANCE * 100} % of ${RATE}/s: ${held ? 'held' : 'NOT held'}`);
} finally {
  await pool.close();
  wharf.child.kill('SIGTERM');
  await wharf.exited;
  await mock.close();
  dir.cleanup();
}
process.exit(failed ? 1 : 0);
