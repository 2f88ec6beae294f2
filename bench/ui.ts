/**
 * npm run bench:ui — the dashboard's size and speed, in Debian's Chromium (playwright-core):
 *   1. the gzipped size of its JavaScript and CSS (budget: ≤ 150 KB of JavaScript),
 *   2. time to the first meaningful screen on loopback (cold cache, token already in the session:
 *      navigation start → the overview's counts drawn; budget ≤ 1 s), median and worst of 7 loads,
 *   3. the live view while Wharf receives 1,000 events/s: frame times measured in the page
 *      (requestAnimationFrame deltas) and how many events the page showed arriving,
 *   4. the live view's latency: signed delivery acknowledged → its row on screen (loopback).
 * Wall-clock figures depend on the machine's load: take them on a quiet machine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildUi, launchChromium } from '../test/helpers/browser.js';
import { spawnWharf } from '../test/helpers/spawn-wharf.js';
import { tempDir } from '../test/helpers/temp-dir.js';
import { postSigned } from '../test/helpers/post-signed.js';
import { textDelivery } from '../test/helpers/webhook-bodies.js';
import { load, pct, SECRET, TOKEN, sleep } from './signed-load.js';
import { packageRoot } from '../src/util/package-root.js';

const RATE = Number(process.env.BENCH_UI_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_UI_SECONDS ?? 10);
const LOADS = 7;
/** Runs in the page before its scripts: the API token is already in the session, as after sign-in. */
const signedIn = `sessionStorage.setItem('wharf-api-token', ${JSON.stringify(TOKEN)})`;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

buildUi();
const assets = join(packageRoot(), 'dist', 'ui', 'assets');
let js = 0;
let css = 0;
for (const f of readdirSync(assets)) {
  const gz = gzipSync(readFileSync(join(assets, f)), { level: 9 }).length;
  if (f.endsWith('.js')) js += gz;
  if (f.endsWith('.css')) css += gz;
}
console.log(
  `bundle: JavaScript ${kb(js)} gzipped (budget 150 KB: ${js <= 150 * 1024 ? 'met' : 'MISSED'}), CSS ${kb(css)} gzipped`,
);

const dir = tempDir('wharf-bench-ui-');
const wharf = await spawnWharf({
  DATABASE_URL: `sqlite:${join(dir.path, 'wharf.db')}`,
  WHATSAPP_APP_SECRET: SECRET,
  WHARF_API_TOKEN: TOKEN,
  WHARF_LOG_LEVEL: 'info',
});
const base = `http://127.0.0.1:${wharf.port}`;
const browser = await launchChromium();
try {
  // Some state for the overview to count.
  const now = Math.floor(Date.now() / 1000);
  for (let i = 0; i < 20; i++)
    await postSigned(
      `${base}/webhooks/whatsapp`,
      textDelivery(`wamid.BENCH${i}`, now - i, `hello ${i}`),
      SECRET,
    );

  const firstScreen: number[] = [];
  for (let i = 0; i < LOADS; i++) {
    const context = await browser.newContext();
    await context.addInitScript(signedIn);
    const page = await context.newPage();
    await page.goto(`${base}/ui/#/overview`, { waitUntil: 'commit' });
    await page.getByText('Events by name, last hour').waitFor();
    await page
      .locator('table', { hasText: 'Events by name' })
      .locator('tbody td', { hasText: 'message.text' })
      .waitFor();
    firstScreen.push(await page.evaluate<number>('performance.now()'));
    await context.close();
  }
  const median = pct(firstScreen, 50);
  console.log(
    `first meaningful screen (navigation → overview counts drawn, cold cache): median ${median.toFixed(0)} ms, worst ${Math.max(...firstScreen).toFixed(0)} ms over ${LOADS} loads (budget 1000 ms: ${median <= 1000 ? 'met' : 'MISSED'})`,
  );

  const context = await browser.newContext();
  await context.addInitScript(signedIn);
  const page = await context.newPage();
  await page.goto(`${base}/ui/#/live`);
  await page.getByText('Stream live').waitFor();

  // Latency: one delivery acknowledged → its row drawn.
  const latencies: number[] = [];
  for (let i = 0; i < 5; i++) {
    const text = `latency probe ${i} ${Date.now()}`;
    const r = await postSigned(
      `${base}/webhooks/whatsapp`,
      textDelivery(`wamid.PROBE${i}${Date.now()}`, now, text),
      SECRET,
    );
    const acked = Date.now();
    if (r.status !== 200) throw new Error(`probe answered ${r.status}`);
    await page.getByText(text).waitFor();
    latencies.push(Date.now() - acked);
    await sleep(300);
  }
  console.log(
    `live view: acknowledged → row on screen, median ${pct(latencies, 50)} ms, worst ${Math.max(...latencies)} ms (5 probes)`,
  );

  // A string, not a function: tsx would add helpers (__name) the page does not have.
  await page.evaluate(`(() => {
    window.frames_ = [];
    window.stopFrames = false;
    let last = performance.now();
    const tick = (t) => {
      window.frames_.push(t - last);
      last = t;
      if (!window.stopFrames) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  const shownBefore = await receivedCount();
  const result = await load(base, { rate: RATE, seconds: SECONDS, deliveries: 0, seed: 7 }, () => undefined);
  await sleep(1500);
  const frames = await page.evaluate<number[]>('window.stopFrames = true, window.frames_.slice(1)');
  const shown = (await receivedCount()) - shownBefore;
  const rows = await page.getByTestId('live-table').locator('tbody tr').count();
  console.log(
    `live view at ${RATE} events/s for ${SECONDS} s: frame time p50 ${pct(frames, 50).toFixed(1)} ms, p95 ${pct(frames, 95).toFixed(1)} ms, p99 ${pct(frames, 99).toFixed(1)} ms, max ${Math.max(...frames).toFixed(1)} ms over ${frames.length} frames; ${shown} events reached the page (${result.sent} deliveries sent, ${result.failures} failed), ${rows} rows on screen`,
  );

  async function receivedCount(): Promise<number> {
    const text = await page.getByText(/events received/).innerText();
    return Number(/(\d+) events received/.exec(text)?.[1] ?? 0);
  }
} finally {
  await browser.close();
  wharf.child.kill('SIGTERM');
  await wharf.exited;
  dir.cleanup();
}
