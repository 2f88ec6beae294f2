/**
 * What the live stream's fan-out costs the process that serves it, per event, at a fixed event rate:
 * src/api/stream-fan-out.ts fed commit notices of bench:ingest's status event (parsed and normalized
 * here, as the processor makes them, `eventAsRead` as CommitNotices hands them over) with N gzip
 * clients on GET-like chunked answers, their sockets read by a child process on CPU 0 (it only reads:
 * no decompression). CPU of this process (every thread, /proc) per event, the main thread apart, in
 * fresh processes alternating with 0 clients and with N: the difference is the streams' cost.
 * CPU time at a fixed rate holds when other work shares the machine, where bench:ingest's req/s
 * does not (docs/benchmarks.md, "Live streams and ingest"). Run it pinned to CPU 1:
 *   taskset -c 1 node --import tsx bench/stream-fan-out-cost.ts [--clients 500] [--rate 5000]
 *     [--commit 64] [--seconds 8] [--rounds 3] [--notices thread|objects]
 * `--notices thread` (the default): notices as a `role all` SQLite process gets them from its
 * processing thread (THREAD below); `objects`: holding the events (the figures before this option).
 * It uses only StreamFanOut, GZIP_STREAM_HEADER, sseChunk, CommitNotices and the parse path (and
 * committed-json.ts where it exists), so the same file measures an older checkout copied into it.
 */
import { createServer } from 'node:http';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { statusPayload } from './ingest-payload.js';
import { parseDelivery } from '../src/core/parse-delivery.js';
import { normalizeDelivery } from '../src/core/normalize-delivery.js';
import { eventAsRead } from '../src/adapters/sqlite/event-from-row.js';
import { StreamFanOut } from '../src/api/stream-fan-out.js';
import { GZIP_STREAM_HEADER, sseChunk } from '../src/api/sse-chunk.js';
import type { CommitNotice, ReadStore, StoredEvent } from '../src/ports/read-store.js';
import type { CommittedEvent } from '../src/ports/processing-store.js';
import { CommitNotices } from '../src/adapters/sqlite/commit-notices.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '500' },
    rate: { type: 'string', default: '5000' },
    commit: { type: 'string', default: '64' },
    seconds: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '3' },
    notices: { type: 'string', default: 'thread' },
    child: { type: 'string' },
  },
});
const RATE = Number(values.rate);
const COMMIT = Number(values.commit);
const SECONDS = Number(values.seconds);
const WARMUP_MS = 2000;
/**
 * `thread`: the notices of a `role all` SQLite process, whose commits are made in the processing
 * thread: each commit's events come as the text that thread hands over (made before the run, as
 * that thread would, not counted), read as ThreadedProcessingStore reads it (when a listener reads
 * them, through CommitNotices.publishLazily). `objects`: notices holding the events themselves
 * (CommitNotices.publish: a process that processes in its event loop).
 */
const THREAD = values.notices === 'thread';

/**
 * The processing thread's hand-over of committed events in this checkout: committed-json.ts where
 * it exists, else the one JSON string of the checkouts before it (same file, older code).
 */
type Handover = { text: (c: CommittedEvent[]) => unknown; read: (t: unknown) => CommittedEvent[] };
async function handover(): Promise<Handover> {
  try {
    const m = (await import('../src/adapters/sqlite/committed-json.js' as string)) as {
      committedJson: (c: CommittedEvent[]) => unknown;
      parseCommitted: (t: unknown) => CommittedEvent[];
    };
    return { text: m.committedJson, read: m.parseCommitted };
  } catch {
    return { text: (c) => JSON.stringify(c), read: (t) => JSON.parse(t as string) as CommittedEvent[] };
  }
}

/** CPU µs of this process's threads since start: the main thread and the others together. */
function threadMicros(): { main: number; other: number } {
  let main = 0;
  let other = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const us = (Number(f[11]) + Number(f[12])) * 10_000; // USER_HZ 100
    if (tid === String(process.pid)) main += us;
    else other += us;
  }
  return { main, other };
}

let commitOnce: (() => void) | null = null;

/** One measurement with `clients` streams; prints "RESULT main other events bytes". */
async function measure(clients: number): Promise<void> {
  const listeners = new Set<(n: CommitNotice) => void>();
  const notices = new CommitNotices();
  // The read side of the port as this process's own commits make it: notices carry the events; the
  // database holds nothing else (a group's reads find nothing newer).
  const store = {
    onCommit(listener: (n: CommitNotice) => void) {
      if (THREAD) return notices.subscribe(listener);
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    eventsAfter: () => Promise.resolve([]),
    lastEventId: () => Promise.resolve('0'),
  } as Partial<ReadStore> as ReadStore;
  const fanOut = new StreamFanOut(store, clients + 1);
  let joined = 0;
  // As the route answers a stream that asked for gzip (src/api/routes/stream-routes.ts).
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'content-encoding': 'gzip' });
    res.write(GZIP_STREAM_HEADER);
    res.write(sseChunk('retry: 2000\n: stream from event 0\n\n', true));
    void fanOut.join(res, {}, '0', true).then(() => joined++);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  const reader = `const net = require('net'); let bytes = 0;
    for (let i = 0; i < ${clients}; i++) {
      const s = net.connect(${port}, '127.0.0.1', () =>
        s.write('GET /api/v1/stream HTTP/1.1\\r\\nHost: x\\r\\nAccept-Encoding: gzip\\r\\n\\r\\n'));
      s.on('data', (c) => (bytes += c.length));
    }
    process.on('SIGTERM', () => { console.log(bytes); process.exit(0); });`;
  const canPin = spawnSync('taskset', ['-V']).status === 0;
  const child =
    clients > 0
      ? spawn(
          canPin ? 'taskset' : process.execPath,
          [...(canPin ? ['-c', '0', process.execPath] : []), '-e', reader],
          {
            stdio: ['ignore', 'pipe', 'inherit'],
          },
        )
      : null;
  let read = '';
  child?.stdout?.on('data', (c: Buffer) => (read += c.toString()));
  while (joined < clients) await new Promise((r) => setTimeout(r, 20));

  let id = 0;
  let seq = 0;
  const made = () => {
    const events: StoredEvent[] = [];
    for (let i = 0; i < COMMIT; i++) {
      const parsed = parseDelivery(Buffer.from(statusPayload(seq++)));
      if (!parsed.ok) throw new Error('the bench payload does not parse');
      for (const event of normalizeDelivery(parsed.envelope)) events.push({ id: String(++id), event });
    }
    return events;
  };
  // Thread: every commit's hand-over text, made before the run (the processing thread's work).
  const threadCommits: Array<{ first: string; last: string; text: unknown }> = [];
  if (THREAD) {
    const h = await handover();
    const commits = Math.ceil(((WARMUP_MS / 1000 + SECONDS + 3) * RATE) / COMMIT);
    for (let i = 0; i < commits; i++) {
      const events = made();
      const committed = events.map((e) => ({ id: e.id, event: e.event, deliveryId: e.id }));
      threadCommits.push({ first: events[0]!.id, last: events.at(-1)!.id, text: h.text(committed) });
    }
    id = 0;
    let next = 0;
    commitOnce = () => {
      const c = threadCommits[next++];
      if (c === undefined) throw new Error('ran past the commits made before the run');
      threadCommits[next - 1] = undefined as never;
      id = Number(c.last);
      // As ThreadedProcessingStore.runBatch hands a commit over.
      let committed: CommittedEvent[] | undefined;
      const read = () => (committed ??= h.read(c.text));
      notices.publishLazily({ first: c.first, last: c.last }, [], () =>
        read().map((e) => ({ id: e.id, event: eventAsRead(e.event) })),
      );
    };
  }
  const commit = () => {
    if (commitOnce !== null) return commitOnce();
    const events = made().map((e) => ({ id: e.id, event: eventAsRead(e.event) }));
    const notice: CommitNotice = { lastEventId: String(id), wamids: [], events };
    for (const listener of listeners) listener(notice);
  };
  const interval = (1000 * COMMIT) / RATE;
  const start = performance.now();
  let due = start;
  let from: { main: number; other: number } | null = null;
  let firstId = 0;
  await new Promise<void>((done) => {
    const tick = () => {
      const now = performance.now();
      for (; due <= now; due += interval) commit();
      if (from === null && now - start >= WARMUP_MS) {
        from = threadMicros();
        firstId = id;
      }
      if (now - start >= WARMUP_MS + SECONDS * 1000) return done();
      setTimeout(tick, Math.max(0, due - performance.now()));
    };
    tick();
  });
  const to = threadMicros();
  const events = id - firstId;
  if (child) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  const f = from as unknown as { main: number; other: number };
  console.log(
    `RESULT ${(to.main - f.main) / events} ${(to.other - f.other) / events} ${events} ${read.trim() || 0}`,
  );
  process.exit(0);
}

if (values.child !== undefined) await measure(Number(values.child));
else {
  const n = Number(values.clients);
  console.log(
    `stream fan-out cost: ${RATE} events/s in commits of ${COMMIT}, ${SECONDS} s (+${WARMUP_MS / 1000} s warm-up), notices: ${values.notices}, ` +
      `0 and ${n} gzip clients alternating, CPU µs per event of the serving process`,
  );
  console.log('| round | clients | main thread | other threads | total | events | bytes read per client |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  const added: number[] = [];
  for (let round = 1; round <= Number(values.rounds); round++) {
    const totals = new Map<number, number>();
    for (const clients of round % 2 === 1 ? [0, n] : [n, 0]) {
      const args = [
        ...process.execArgv,
        process.argv[1] as string,
        ...process.argv.slice(2),
        '--child',
        String(clients),
      ];
      const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
      const m = /RESULT (\S+) (\S+) (\d+) (\d+)/.exec(r.stdout);
      if (!m) throw new Error(`no result: ${r.stdout}${r.stderr}`);
      const [main, other] = [Number(m[1]), Number(m[2])];
      totals.set(clients, main + other);
      console.log(
        `| ${round} | ${clients} | ${main.toFixed(1)} | ${other.toFixed(1)} | ${(main + other).toFixed(1)} | ${m[3]} | ${clients > 0 ? Math.round(Number(m[4]) / clients) : '–'} |`,
      );
    }
    added.push((totals.get(n) as number) - (totals.get(0) as number));
  }
  console.log(`CPU µs per event added by ${n} streams: ${added.map((x) => x.toFixed(1)).join(' / ')}`);
}
