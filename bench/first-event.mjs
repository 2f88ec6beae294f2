// How soon after a start Wharf processes: starts `wharf start` (role all, a fresh SQLite file) from
// the built code (`dist`, what `npm start` runs) or from `src` through tsx (what the benchmarks run),
// sends one signed status webhook as soon as it says it is listening, and polls GET /api/v1/events
// every 2 ms until the event is readable. Prints the time to listen, the 200's time and the time
// from the 200 to the event readable. Loopback only.
//   node bench/first-event.mjs dist|src [runs=2]        (dist: run `npm run build` first)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { fetch } from 'undici';

const [mode = 'dist', runsArg = '2'] = process.argv.slice(2);
const args =
  mode === 'dist' ? ['dist/src/cli/bin.js', 'start'] : ['--import', 'tsx', 'src/cli/bin.ts', 'start'];
const SECRET = 'first-event-secret';
const TOKEN = 'first-event-token';

async function once() {
  const dir = mkdtempSync(join(tmpdir(), 'wharf-first-event-'));
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${join(dir, 'wharf.db')}`,
      WHATSAPP_APP_SECRET: SECRET,
      WHARF_API_TOKEN: TOKEN,
      WHARF_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((r) => child.once('exit', r));
  try {
    const t0 = performance.now();
    let out = '';
    const port = await new Promise((resolve, reject) => {
      child.stdout.on('data', (c) => {
        out += c;
        const m = /"port":(\d+)/.exec(out);
        if (m && out.includes('wharf listening')) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`wharf exited (${code}): ${out.slice(-500)}`)));
    });
    const listening = performance.now();
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
                statuses: [
                  {
                    id: 'wamid.first-event',
                    status: 'sent',
                    timestamp: String(Math.floor(Date.now() / 1000)),
                    recipient_id: '15551234567',
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
    const answer = await fetch(`http://127.0.0.1:${port}/webhooks/whatsapp`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
    });
    const acked = performance.now();
    if (answer.status !== 200) throw new Error(`the webhook answered ${answer.status}`);
    for (const deadline = acked + 30_000; ;) {
      const page = await fetch(`http://127.0.0.1:${port}/api/v1/events?limit=1`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      }).then((r) => r.json());
      if (page.data.length > 0) break;
      if (performance.now() > deadline) throw new Error('the event was not readable within 30 s');
      await new Promise((r) => setTimeout(r, 2));
    }
    const seen = performance.now();
    console.log(
      `${mode}: listening after ${(listening - t0).toFixed(0)} ms, 200 in ${(acked - listening).toFixed(0)} ms, readable ${(seen - acked).toFixed(0)} ms after the 200`,
    );
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

for (let i = 0; i < Number(runsArg); i++) await once();
