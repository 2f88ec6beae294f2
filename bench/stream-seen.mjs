// The live stream's reader of bench/e2e.ts, in a worker thread of its own: it reads GET
// /api/v1/stream (status events) and notes when each event's wamid first arrived, as epoch
// milliseconds with sub-millisecond precision (performance.timeOrigin + performance.now(), the
// same clock the sending thread uses), so that parsing 5,000 events/s of stream does not delay the
// sending thread's requests or its reading of their 200s (each such delay counted as the ack's).
// workerData: { base, token }. Messages: it posts 'open' once the stream answered; on 'collect'
// { events, deadlineMs } it answers with every [wamid, at] seen, once it has seen `events` wamids
// or the deadline passed, and closes the stream.
import { parentPort, workerData } from 'node:worker_threads';
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';

const { base, token } = workerData;
const seenAt = new Map();
let waiting;
const stream = request(`${base}/api/v1/stream?name=status.`, {
  headers: { authorization: `Bearer ${token}` },
});
let buffer = '';
stream.on('response', (res) => {
  parentPort.postMessage('open');
  res.setEncoding('utf8');
  res.on('data', (chunk) => {
    const at = performance.timeOrigin + performance.now();
    buffer += chunk;
    const frames = buffer.split('\n\n');
    buffer = frames.pop() ?? '';
    for (const f of frames) {
      const data = f.split('\n').find((l) => l.startsWith('data: '));
      if (!data) continue;
      const wamid = JSON.parse(data.slice(6)).wamid;
      if (!seenAt.has(wamid)) seenAt.set(wamid, at);
    }
    if (waiting && seenAt.size >= waiting.events) answer();
  });
});
stream.on('error', () => undefined);
stream.end();

function answer() {
  clearTimeout(waiting.timer);
  waiting = undefined;
  stream.destroy();
  parentPort.postMessage([...seenAt]);
}

parentPort.on('message', (m) => {
  waiting = { events: m.events, timer: setTimeout(answer, m.deadlineMs) };
  if (seenAt.size >= m.events) answer();
});
