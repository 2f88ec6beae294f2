// The live stream's reader of bench/e2e.ts, in a worker thread of its own: it reads GET
// /api/v1/stream (status events) and notes when each event's wamid first arrived, as epoch
// milliseconds with sub-millisecond precision (performance.timeOrigin + performance.now(), the
// same clock the sending thread uses: a worker's timeOrigin is its process's), so that parsing
// 5,000 events/s of stream does not delay the sending thread's requests or its reading of their
// 200s. workerData: { base, token }. It posts { open: true } once the stream answered, and
// { error } if the stream fails. On { collect: wamids, deadlineMs } it answers { seen: [[wamid,
// at], …] } once every wamid given has arrived or the deadline passed, and closes the stream.
import { parentPort, workerData } from 'node:worker_threads';
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';

const { base, token } = workerData;
const seenAt = new Map();
/** While collecting: the wamids given that have not arrived yet. */
let waiting;
/** The stream's failure, said again when asked to collect (no one may have listened when it came). */
let failed;
const fail = (err) => {
  failed = err instanceof Error ? err.message : String(err);
  parentPort.postMessage({ error: failed });
};

const stream = request(`${base}/api/v1/stream?name=status.`, {
  headers: { authorization: `Bearer ${token}` },
});
let buffer = '';
stream.on('response', (res) => {
  if (res.statusCode !== 200) return fail(new Error(`the stream answered ${res.statusCode}`));
  parentPort.postMessage({ open: true });
  res.setEncoding('utf8');
  res.on('error', fail);
  res.on('data', (chunk) => {
    const at = performance.timeOrigin + performance.now();
    buffer += chunk;
    const frames = buffer.split('\n\n');
    buffer = frames.pop() ?? '';
    for (const f of frames) {
      const data = f.split('\n').find((l) => l.startsWith('data: '));
      if (!data) continue;
      const wamid = JSON.parse(data.slice(6)).wamid;
      if (typeof wamid !== 'string' || seenAt.has(wamid)) continue;
      seenAt.set(wamid, at);
      if (waiting?.left.delete(wamid) && waiting.left.size === 0) answer();
    }
  });
});
stream.on('error', (err) => (waiting ? answer() : fail(err)));
stream.end();

function answer() {
  clearTimeout(waiting.timer);
  waiting = undefined;
  stream.destroy();
  parentPort.postMessage({ seen: [...seenAt] });
}

parentPort.on('message', (m) => {
  if (failed !== undefined) return parentPort.postMessage({ error: failed });
  const left = new Set(m.collect.filter((w) => !seenAt.has(w)));
  waiting = { left, timer: setTimeout(answer, m.deadlineMs) };
  if (left.size === 0) answer();
});
