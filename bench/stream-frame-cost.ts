/**
 * What a live stream costs per event whatever its number of clients (docs/benchmarks.md, "Live
 * streams and ingest"): the SSE frame of bench:ingest's status event (eventJson, JSON.stringify) and
 * the batch turned into bytes (joined, deflated at level 1, framed as an HTTP/1.1 chunk), CPU µs
 * per event. Usage: node --import tsx bench/stream-frame-cost.ts [events per batch (500)]
 */
import { statusPayload } from './ingest-payload.js';
import { parseDelivery } from '../src/core/parse-delivery.js';
import { normalizeDelivery } from '../src/core/normalize-delivery.js';
import { sseFrame } from '../src/api/sse-frame.js';
import { SseBatch, type SseFrame } from '../src/api/sse-batch.js';
import { eventJson } from '../src/events/event-json.js';
import type { StoredEvent } from '../src/ports/read-store.js';

const N = 20_000;
const batchSize = Number(process.argv[2] ?? 500);
const events: StoredEvent[] = [];
for (let i = 0; i < N; i++) {
  const parsed = parseDelivery(Buffer.from(statusPayload(i)));
  if (!parsed.ok) throw new Error('the bench payload does not parse');
  for (const event of normalizeDelivery(parsed.envelope)) events.push({ id: String(i + 1), event });
}
const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
const perEvent = (f: () => void) => {
  const t = cpuUs();
  f();
  return ((cpuUs() - t) / events.length).toFixed(2);
};
for (let round = 1; round <= 3; round++) {
  let frames: SseFrame[] = [];
  const frame = perEvent(() => (frames = events.map((e): SseFrame => [Number(e.id), sseFrame(e)])));
  const json = perEvent(() => events.forEach((e) => eventJson(e)));
  let bytes = 0;
  const batch = perEvent(() => {
    for (let i = 0; i < frames.length; i += batchSize)
      bytes += new SseBatch(frames.slice(i, i + batchSize)).httpChunk(true).length;
  });
  console.log(
    `round ${round}: frame ${frame} µs/event (of it eventJson ${json}), batch → gzip chunk ${batch} µs/event; ` +
      `${(frames[0]?.[1].length ?? 0).toLocaleString()} B of SSE → ${(bytes / events.length).toFixed(0)} B gzip per event`,
  );
}
