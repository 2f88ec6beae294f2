/**
 * What a live stream costs per event whatever its number of clients (docs/benchmarks.md, "Live
 * streams and ingest"): the SSE frame of bench:ingest's status event (eventJson, JSON.stringify,
 * UTF-8 written into one reused Buffer, SseFrameWriter) and the batch turned into bytes (joined,
 * deflated at level 1, framed as an HTTP/1.1 chunk), CPU µs per event. Usage: node --import tsx bench/stream-frame-cost.ts [events per batch (500)]
 */
import { statusPayload } from './ingest-payload.js';
import { parseDelivery } from '../src/core/parse-delivery.js';
import { normalizeDelivery } from '../src/core/normalize-delivery.js';
import { SseFrameWriter } from '../src/api/sse-frame-writer.js';
import { SseBatch, type SseFrames } from '../src/api/sse-batch.js';
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
/** Events per commit notice: the frames of one notice are written as one run (SseFrameWriter.append). */
const COMMIT = 64;
const perBatch = Math.max(1, Math.round(batchSize / COMMIT));
for (let round = 1; round <= 3; round++) {
  const writer = new SseFrameWriter();
  const runs: SseFrames[][] = [[]];
  // The writer is written again after each batch: the batches' runs are only measured here.
  const frame = perEvent(() => {
    for (let i = 0; i < events.length; i += COMMIT) {
      if ((runs.at(-1) as SseFrames[]).length === perBatch) {
        writer.reset();
        runs.push([]);
      }
      (runs.at(-1) as SseFrames[]).push(writer.append(events.slice(i, i + COMMIT)));
    }
  });
  const sseBytes = runs.flat().reduce((n, run) => n + run.bytes.length, 0);
  // Written again so that the batches measured below have their bytes (one writer each).
  const batches: SseFrames[][] = [];
  for (let i = 0; i < events.length; i += COMMIT * perBatch) {
    const w = new SseFrameWriter();
    const b: SseFrames[] = [];
    for (let j = i; j < Math.min(events.length, i + COMMIT * perBatch); j += COMMIT)
      b.push(w.append(events.slice(j, j + COMMIT)));
    batches.push(b);
  }
  const json = perEvent(() => events.forEach((e) => eventJson(e)));
  let bytes = 0;
  const batch = perEvent(() => {
    for (const b of batches) bytes += new SseBatch(b).httpChunk(true).length;
  });
  console.log(
    `round ${round}: frame ${frame} µs/event (of it eventJson ${json}), batch → gzip chunk ${batch} µs/event; ` +
      `${Math.round(sseBytes / events.length).toLocaleString()} B of SSE → ${(bytes / events.length).toFixed(0)} B gzip per event`,
  );
}
