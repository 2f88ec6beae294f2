/**
 * The main thread's share of the live stream per event, whatever its number of clients, in a
 * `role all` SQLite process: a commit's events read from what the processing thread hands over,
 * `eventAsRead`, their frames written (SseFrameWriter) and each batch of 16 commits deflated and
 * framed once (SseBatch). CPU µs per event of this checkout and, with `--against <dir>`, of another
 * checkout's same code (one whose processing thread hands over one JSON string, before
 * committed-json.ts), alternating in one process so both share the machine's load; the batches'
 * bytes must be equal. Run it pinned: taskset -c 1 node --import tsx bench/stream-handover-cost.ts
 * [--against /path/to/checkout] [--events 6400] [--reps 12]
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { statusPayload } from './ingest-payload.js';
import { parseDelivery } from '../src/core/parse-delivery.js';
import { normalizeDelivery } from '../src/core/normalize-delivery.js';
import type { CommittedEvent } from '../src/ports/processing-store.js';
import type { StoredEvent } from '../src/ports/read-store.js';
import type { AnyWharfEvent } from '../src/events/wharf-event.js';

const { values } = parseArgs({
  options: {
    against: { type: 'string' },
    events: { type: 'string', default: '6400' },
    reps: { type: 'string', default: '12' },
  },
});
const N = Number(values.events);

interface Frames {
  append(events: StoredEvent[]): unknown;
  reset(): void;
}
/** One checkout's code: its hand-over (made here, as its processing thread would) and its stream side. */
interface Side {
  readonly name: string;
  readonly texts: unknown[];
  readonly read: (text: unknown) => CommittedEvent[];
  readonly asRead: (e: AnyWharfEvent) => AnyWharfEvent;
  readonly writer: () => Frames;
  readonly batch: (runs: unknown[]) => { httpChunk(gzip: boolean): Buffer };
}

async function side(name: string, root: string, batches: CommittedEvent[][]): Promise<Side> {
  const load = (path: string) => import(resolve(root, path)) as Promise<Record<string, unknown>>;
  const asRead = (await load('src/adapters/sqlite/event-from-row.ts'))['eventAsRead'] as Side['asRead'];
  const W = (await load('src/api/sse-frame-writer.ts'))['SseFrameWriter'] as new () => Frames;
  const B = (await load('src/api/sse-batch.ts'))['SseBatch'] as new (runs: unknown[]) => {
    httpChunk(gzip: boolean): Buffer;
  };
  let text = (c: CommittedEvent[]): unknown => JSON.stringify(c);
  let read = (t: unknown) => JSON.parse(t as string) as CommittedEvent[];
  try {
    const m = await load('src/adapters/sqlite/committed-json.ts');
    text = m['committedJson'] as typeof text;
    read = m['parseCommitted'] as typeof read;
  } catch {
    // A checkout before committed-json.ts: one JSON string, parsed whole.
  }
  return {
    name,
    texts: batches.map(text),
    read,
    asRead,
    writer: () => new W(),
    batch: (runs) => new B(runs),
  };
}

const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** CPU µs per event of reading, framing and deflating every commit; and the bytes made. */
function run(s: Side): { us: number; bytes: number } {
  const t = cpuUs();
  const w = s.writer();
  let runs: unknown[] = [];
  let bytes = 0;
  for (const text of s.texts) {
    runs.push(w.append(s.read(text).map((c) => ({ id: c.id, event: s.asRead(c.event) }))));
    if (runs.length === 16) {
      bytes += s.batch(runs).httpChunk(true).length;
      w.reset();
      runs = [];
    }
  }
  return { us: (cpuUs() - t) / N, bytes };
}

const committed: CommittedEvent[] = [];
for (let i = 0; i < N; i++) {
  const parsed = parseDelivery(Buffer.from(statusPayload(i)));
  if (!parsed.ok) throw new Error('the bench payload does not parse');
  for (const event of normalizeDelivery(parsed.envelope))
    committed.push({ id: String(i + 1), event, deliveryId: String(i + 1) });
}
const batches: CommittedEvent[][] = [];
for (let i = 0; i < committed.length; i += 64) batches.push(committed.slice(i, i + 64));
const sides = [await side('this checkout', process.cwd(), batches)];
if (values.against !== undefined) sides.push(await side(values.against, values.against, batches));

const figures = sides.map(() => [] as number[]);
for (let rep = 0; rep < Number(values.reps); rep++) {
  // Alternating which goes first; the first two repetitions warm the JIT and are left out.
  const order = rep % 2 === 0 ? sides.map((_, i) => i) : sides.map((_, i) => sides.length - 1 - i);
  const bytes = new Set<number>();
  for (const i of order) {
    const r = run(sides[i]!);
    bytes.add(r.bytes);
    if (rep >= 2) figures[i]!.push(r.us);
  }
  if (bytes.size > 1) throw new Error(`the checkouts made different bytes: ${[...bytes].join(', ')}`);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
console.log(`main thread's share of the live stream, µs per event (${N} status events, commits of 64)`);
sides.forEach((s, i) =>
  console.log(
    `${s.name}: ${figures[i]!.map((x) => x.toFixed(1)).join(' ')}; median ${median(figures[i]!).toFixed(2)}`,
  ),
);
