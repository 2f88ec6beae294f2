/**
 * Read API latency: GET /api/v1/conversations with 100,000 conversations on SQLite.
 * Usage: npm run bench:read [-- --conversations 100000 --requests 400]
 *
 * Seeds the state the processor would have written (a conversation row, its contact, its last
 * inbound and outbound message, their conversation_messages rows; every 50th conversation labelled
 * `vip`) straight into a fresh database file, starts Wharf on it, then asks one request at a time
 * over a keep-alive connection, in turn: the first page, a page deep in the list by cursor, the
 * `vip` label and one phone number (limit 50, the default). Budget: p99 ≤ 20 ms; exits 1 above it.
 */
import { join } from 'node:path';
import { Agent } from 'node:http';
import { openDatabase } from '../src/adapters/sqlite/open-database.js';
import { migrate } from '../src/adapters/sqlite/migrate.js';
import { createWharf } from '../src/server/create-wharf.js';
import { createLogger } from '../src/observability/create-logger.js';
import { testConfig, TEST_API_TOKEN } from '../test/helpers/start-test-wharf.js';
import { httpRequest } from '../test/helpers/post-signed.js';
import { tempDir } from '../test/helpers/temp-dir.js';

const BUDGET_P99_MS = 20;
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const count = arg('conversations', 100_000);
const requests = arg('requests', 400);
const NUMBERS = ['900000000000001', '900000000000002'];
const T0 = Date.UTC(2026, 0, 1);

function seed(path: string): void {
  const db = openDatabase(path);
  migrate(db, 0);
  const conv =
    db.prepare(`INSERT INTO conversations (phone_number_id, contact_key, first_at, last_activity_at,
      last_inbound_at, last_inbound_wamid, last_inbound_rank, last_outbound_wamid, last_outbound_rank)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const contact =
    db.prepare(`INSERT INTO contacts (id, wa_id, wa_id_rank, user_id, user_id_rank, name, name_rank)
    VALUES (?, ?, '0', ?, '0', ?, '0')`);
  const message =
    db.prepare(`INSERT INTO messages (phone_number_id, wamid, direction, type, preview, occurred_at,
      content_rank, contact_wa_id, contact_user_id, status_rank, sent_at, delivered_at)
    VALUES (?, ?, ?, 'text', ?, ?, '0', ?, ?, ?, ?, ?)`);
  const cm = db.prepare(
    'INSERT INTO conversation_messages (phone_number_id, contact_key, wamid, direction, at) VALUES (?, ?, ?, ?, ?)',
  );
  const label = db.prepare(
    `INSERT INTO conversation_labels (label, phone_number_id, contact_key) VALUES ('vip', ?, ?)`,
  );
  const note =
    db.prepare(`INSERT INTO conversation_annotations (phone_number_id, contact_key, labels, updated_at)
    VALUES (?, ?, '["vip"]', 0)`);
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const pnid = NUMBERS[i % NUMBERS.length] as string;
      const wa = String(447000000000 + i);
      const user = `GB.${i}`;
      const at = T0 + i * 1000;
      contact.run(user, wa, user, `Customer ${i}`);
      message.run(pnid, `wamid.I${i}`, 'inbound', `question ${i}`, at, wa, user, null, null, null);
      message.run(pnid, `wamid.O${i}`, 'outbound', null, null, wa, user, 2, at + 500, at + 900);
      cm.run(pnid, user, `wamid.I${i}`, 'inbound', at);
      cm.run(pnid, user, `wamid.O${i}`, 'outbound', at + 500);
      conv.run(pnid, user, at, at + 900, at, `wamid.I${i}`, `r${at}`, `wamid.O${i}`, `r${at + 500}`);
      if (i % 50 === 0) {
        label.run(pnid, user);
        note.run(pnid, user);
      }
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;

async function main(): Promise<void> {
  const dir = tempDir('wharf-bench-read-');
  const path = join(dir.path, 'wharf.db');
  const seedStart = performance.now();
  seed(path);
  console.log(`seeded ${count} conversations in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
  const config = testConfig(path, { WHARF_LOG_LEVEL: 'warn' });
  const wharf = createWharf(config, { logger: createLogger('warn') });
  const { port } = await wharf.listen();
  const base = `http://127.0.0.1:${port}`;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const ask = async (path: string) => {
    const t = performance.now();
    const r = await httpRequest(base + path, {
      headers: { authorization: `Bearer ${TEST_API_TOKEN}` },
      agent,
    });
    const ms = performance.now() - t;
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${r.body.slice(0, 200)}`);
    return { ms, body: JSON.parse(r.body) as { next_cursor: string | null; total: number } };
  };
  // A cursor deep in the list: follow a few pages once, before measuring.
  let deep = (await ask('/api/v1/conversations')).body.next_cursor;
  for (let i = 0; i < 5 && deep; i++)
    deep = (await ask(`/api/v1/conversations?cursor=${deep}`)).body.next_cursor;
  const paths = [
    '/api/v1/conversations',
    `/api/v1/conversations?cursor=${deep ?? ''}`,
    '/api/v1/conversations?label=vip',
    `/api/v1/conversations?phone_number_id=${NUMBERS[1]}`,
  ];
  for (const p of paths) await ask(p); // warm-up
  const times: number[] = [];
  for (let i = 0; i < requests; i++) times.push((await ask(paths[i % paths.length] as string)).ms);
  times.sort((a, b) => a - b);
  const p50 = percentile(times, 50);
  const p99 = percentile(times, 99);
  console.log(
    `GET /api/v1/conversations, ${count} conversations, ${requests} requests: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms (budget p99 ≤ ${BUDGET_P99_MS} ms)`,
  );
  agent.destroy();
  await wharf.close();
  dir.cleanup();
  if (p99 > BUDGET_P99_MS) process.exitCode = 1;
}

await main();
