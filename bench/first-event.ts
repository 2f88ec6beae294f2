/**
 * How soon after a start Wharf processes: starts `wharf start` (role all, a fresh SQLite file)
 * from the built code (`dist`, what `npm start` runs) or from `src` through tsx (what the other
 * benchmarks run), sends one signed status delivery (the load's, three statuses) once it is ready
 * (/readyz, polled every 50 ms), and polls GET /api/v1/events every 2 ms until an event is
 * readable. Prints the time to ready, the 200's time and the time from the 200 to the first event
 * readable. Loopback only.
 *   node --import tsx bench/first-event.ts dist|src [runs=2]    (dist: `npm run build` first)
 */
import { join } from 'node:path';
import { SECRET, sleep, startWharf } from './forward-parts.js';
import { signBody } from '../src/core/verify-signature.js';
import { createLoadBodies } from '../src/simulator/load-bodies.js';
import { serializeLikeMeta } from '../src/simulator/escape-json.js';
import { tempDir } from '../test/helpers/temp-dir.js';

const [cli = 'dist', runs = '2'] = process.argv.slice(2);
if (cli !== 'dist' && cli !== 'src') throw new Error(`dist or src, not ${cli}`);
const next = createLoadBodies({ seed: 3, now: Math.floor(Date.now() / 1000) });

for (let i = 0; i < Number(runs); i++) {
  const dir = tempDir('wharf-first-event-');
  const started = performance.now();
  const wharf = await startWharf(join(dir.path, 'wharf.db'), { cli });
  try {
    const ready = performance.now();
    const body = serializeLikeMeta(next(i));
    const answer = await fetch(`${wharf.base}/webhooks/whatsapp`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(body, SECRET) },
    });
    const acked = performance.now();
    if (answer.status !== 200) throw new Error(`the webhook answered ${answer.status}`);
    for (;;) {
      const page = (await wharf.api('GET', '/api/v1/events?limit=1')).json as { data: unknown[] };
      if (page.data.length > 0) break;
      if (performance.now() - acked > 30_000) throw new Error('no event readable within 30 s');
      await sleep(2);
    }
    const seen = performance.now();
    console.log(
      `${cli}: ready after ${(ready - started).toFixed(0)} ms, 200 in ${(acked - ready).toFixed(0)} ms, ` +
        `an event readable ${(seen - acked).toFixed(0)} ms after the 200`,
    );
  } finally {
    await wharf.stop();
    dir.cleanup();
  }
}
