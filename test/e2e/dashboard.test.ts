/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core) against a real Wharf
 * process fed by `wharf simulate` and signed fixture posts: sign-in, the live view, search and the
 * message timeline, an error explained by the error policy, a dead letter replayed, a destination
 * created and tested, a paused template on the board. WHARF_UPDATE_SCREENSHOTS=1 writes the
 * screenshots docs/dashboard.md shows.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { buildUi, launchChromium } from '../helpers/browser.js';
import { spawnWharf, type SpawnedWharf } from '../helpers/spawn-wharf.js';
import { startHttpReceiver, type HttpReceiver } from '../helpers/http-receiver.js';
import { httpRequest, postSigned } from '../helpers/post-signed.js';
import { fixtureBytes } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';
import { crc32, deflateSync } from 'node:zlib';
import { startGraphMock, type GraphMock } from '../../src/testing/graph-mock/start-graph-mock.js';
import { inbound } from '../conformance/conversation-store.conformance.js';

const SECRET = 'dashboard-app-secret';
const TOKEN = 'dashboard-api-token';
const SHOTS = process.env.WHARF_UPDATE_SCREENSHOTS === '1';
/** Generous bounds for a loaded machine: these tests check behaviour, bench:ui measures speed. */
const SEEN = 15_000;

const run = promisify(execFile);

/** A real PNG (4×4, one colour), so the browser has an image to decode. */
function png(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(4, 0);
  header.writeUInt32BE(4, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = Buffer.concat(
    Array.from({ length: 4 }, () => Buffer.from([0, ...Array(4).fill([31, 111, 235]).flat()])),
  );
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('dashboard in a browser', { timeout: 180_000 }, () => {
  let wharf: SpawnedWharf;
  let receiver: HttpReceiver;
  let graph: GraphMock;
  let browser: Browser;
  let page: Page;
  let base: string;
  const dir = tempDir('wharf-ui-');

  const api = async <T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> => {
    const r = await httpRequest(base + path, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    assert.ok(r.status < 300, `${path}: ${r.status} ${r.body}`);
    return JSON.parse(r.body) as T;
  };
  /** `wharf simulate --scenario <name>` against the running Wharf, as a person would run it. */
  const simulate = (scenario: string) =>
    run(process.execPath, [
      '--import',
      'tsx',
      'src/cli/bin.ts',
      'simulate',
      '--url',
      `${base}/webhooks/whatsapp`,
      '--secret',
      SECRET,
      '--scenario',
      scenario,
      '--no-retry',
    ]);
  const shot = async (name: string) => {
    if (SHOTS) await page.screenshot({ path: join('docs', `dashboard-${name}.png`), fullPage: true });
  };
  const go = async (hash: string) => {
    await page.goto(`${base}/ui/${hash}`);
  };

  before(async () => {
    buildUi();
    receiver = await startHttpReceiver();
    graph = await startGraphMock();
    wharf = await spawnWharf({
      WHATSAPP_GRAPH_URL: graph.url,
      WHATSAPP_ACCESS_TOKEN: graph.state.accessToken,
      WHARF_MEDIA_DIR: join(dir.path, 'media'),
      DATABASE_URL: `sqlite:${join(dir.path, 'wharf.db')}`,
      WHATSAPP_APP_SECRET: SECRET,
      WHARF_API_TOKEN: TOKEN,
      WHARF_DESTINATIONS_ALLOW_PRIVATE: 'true',
      // One attempt, then a dead letter: the replay test needs one without waiting for retries.
      WHARF_DESTINATION_RETRY_SCHEDULE: '0',
      WHATSAPP_VERIFY_TOKEN: 'dashboard-verify-token',
    });
    base = `http://127.0.0.1:${wharf.port}`;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  });

  after(async () => {
    await browser?.close();
    wharf?.child.kill('SIGTERM');
    await wharf?.exited;
    await receiver?.close();
    await graph?.close();
    dir.cleanup();
  });

  test('/ leads to the dashboard; a wrong token is refused and the API token signs in', async () => {
    await page.goto(`${base}/`);
    assert.equal(new URL(page.url()).pathname, '/ui/');
    await page.getByLabel('API token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'This token was refused' }).waitFor();
    await shot('signin-refused');
    await page.getByLabel('API token').fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    const stored = await page.evaluate<string | null>("sessionStorage.getItem('wharf-api-token')");
    assert.equal(stored, TOKEN, 'kept for the browser session');
  });

  test('a simulated message appears in the live view (the stream is read with the bearer header)', async () => {
    await go('#/live');
    await page.getByText('Stream live').waitFor();
    const sent = simulate('bsuid-only-contact');
    const row = page.getByTestId('live-table').locator('tbody tr', { hasText: 'message.text' });
    await row.first().waitFor({ timeout: SEEN });
    const acked = Date.now();
    await sent;
    const text = await row.first().innerText();
    assert.match(text, /message\.text/);
    assert.match(text, /\b[A-Z]{2}\.\d+/, 'the contact (a BSUID here) is shown');
    await page
      .getByTestId('live-table')
      .locator('tbody tr', { hasText: 'status.delivered' })
      .first()
      .waitFor({ timeout: SEEN });
    assert.ok(acked > 0);
    await shot('live');
  });

  test('the live view filters by event name and holds new rows while paused', async () => {
    await go('#/live');
    await page.getByLabel('Event name or prefix').fill('status.');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('Stream live').waitFor();
    await page.getByRole('button', { name: 'Pause' }).click();
    const table = page.getByTestId('live-table').locator('tbody tr');
    await simulate('status-delivered-skipped');
    await page.getByRole('button', { name: /^Resume \(\d+ waiting\)$/ }).waitFor({ timeout: SEEN });
    assert.equal(await table.count(), 0, 'nothing drawn while paused');
    await page.getByRole('button', { name: /^Resume/ }).click();
    await table.first().waitFor();
    const names = await page.getByTestId('live-table').locator('tbody tr td:nth-child(2)').allInnerTexts();
    assert.ok(names.length >= 2);
    assert.ok(
      names.every((n) => n.startsWith('status.')),
      names.join(', '),
    );
  });

  test('searching a wamid opens its message, whose timeline shows sent, delivered and read', async () => {
    await simulate('status-lifecycle');
    let wamid = '';
    await waitFor(
      'status.read stored',
      async () => {
        const page = await api<{ data: { wamid: string }[] }>('/api/v1/events?name=status.read&limit=1');
        wamid = page.data[0]?.wamid ?? '';
        return wamid !== '';
      },
      SEEN,
    );
    await go('#/search');
    await page.getByLabel('wamid, phone number or BSUID').fill(wamid);
    await page.getByRole('button', { name: 'Search' }).click();
    const timeline = page.getByTestId('timeline');
    await timeline.waitFor();
    const steps = await timeline.locator('li strong').allInnerTexts();
    assert.deepEqual(steps, ['sent', 'delivered', 'read']);
    assert.equal(await page.getByTestId('message-status').innerText(), 'read');
    await page.getByText('marketing', { exact: true }).first().waitFor();
    await shot('message');
  });

  test('a failed message shows its error code, what it means and what to do', async () => {
    await simulate('status-failures');
    let wamid = '';
    await waitFor(
      'the 131026 failure stored',
      async () => {
        const p = await api<{ data: { wamid: string; data: { errors?: { code: number }[] } }[] }>(
          '/api/v1/events?name=status.failed&limit=50',
        );
        wamid = p.data.find((e) => e.data.errors?.some((x) => x.code === 131026))?.wamid ?? '';
        return wamid !== '';
      },
      SEEN,
    );
    const policy = await api<{ meaning: string; action: string }>('/api/v1/error-policy/131026');
    await go(`#/messages/${encodeURIComponent(wamid)}`);
    await page.getByTestId('error-code').waitFor();
    assert.equal(await page.getByTestId('error-code').innerText(), '131026');
    await page.getByTestId('error-meaning').waitFor();
    assert.equal(await page.getByTestId('error-meaning').innerText(), policy.meaning);
    assert.match(await page.getByTestId('error-action').innerText(), new RegExp(`^${policy.action}:`));
    await shot('failed-message');
    await go('#/failures');
    const row = page.getByTestId('failures-table').locator('tbody tr', { hasText: '131026' });
    await row.waitFor();
    assert.match(await row.innerText(), /fallback/);
    await shot('failures');
  });

  test('a dead letter replayed from its page is delivered', async () => {
    receiver.answer((req, res) => {
      res.statusCode = req.url === '/down' ? 503 : 200;
      res.end(req.url === '/down' ? 'down for maintenance' : 'ok');
    });
    const dest = await api<{ id: string }>('/api/v1/destinations', {
      method: 'POST',
      body: { name: 'crm', kind: 'http', url: `${receiver.url}/down`, filter: { events: ['message.text'] } },
    });
    await simulate('bsuid-only-contact');
    await waitFor(
      'a dead letter',
      async () =>
        (await api<{ data: unknown[] }>(`/api/v1/dead-letters?target=destination:${dest.id}`)).data.length >
        0,
      SEEN,
    );
    // The receiver is back: the replayed hand-off goes to the same URL and now gets a 200.
    receiver.answer((_req, res) => res.end('ok'));
    const before = receiver.requests.length;
    await go('#/dead-letters');
    const card = page.getByTestId('dead-letters').locator('li', { hasText: 'message.text' }).first();
    await card.waitFor();
    assert.match(await card.innerText(), /503/);
    await card.getByText('Event payload').click();
    await card.locator('pre').waitFor();
    await shot('dead-letters');
    await card.getByRole('button', { name: /^Replay dead letter/ }).click();
    await page.getByText('1 dead letter queued again.').waitFor();
    await waitFor('the replayed event delivered', () => receiver.requests.length > before, SEEN);
    await waitFor(
      'a successful attempt in the log',
      async () => {
        const log = await api<{ data: { ok: boolean; status: number }[] }>(
          `/api/v1/destinations/${dest.id}/attempts`,
        );
        return log.data.some((a) => a.ok && a.status === 200);
      },
      SEEN,
    );
    await waitFor(
      'no dead letter left',
      async () =>
        (await api<{ data: unknown[] }>(`/api/v1/dead-letters?target=destination:${dest.id}`)).data.length ===
        0,
      SEEN,
    );
  });

  test('a destination is created from the dashboard (bad input named) and its test shows the answer', async () => {
    receiver.answer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end('{"received":true}');
    });
    await go('#/destinations');
    await page.getByLabel('Name', { exact: true }).fill('n8n');
    await page.getByLabel('URL').fill('not a url');
    await page.getByLabel(/^Events/).fill('message., status.failed');
    await page.getByRole('button', { name: 'Create' }).click();
    const refused = page.getByRole('alert');
    await refused.waitFor();
    assert.match(await refused.innerText(), /^422 /);
    assert.match(await refused.innerText(), /url/);
    await page.getByLabel('URL').fill(`${receiver.url}/n8n`);
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByTestId('created').waitFor();
    assert.match(await page.getByTestId('created').innerText(), /whsec_/);
    await page.getByRole('link', { name: 'Open it' }).click();
    await page.getByRole('heading', { name: 'n8n' }).waitFor();
    await page.getByRole('button', { name: 'Send a test event' }).click();
    const result = page.getByTestId('test-result');
    await result.waitFor({ timeout: SEEN });
    assert.match(await result.innerText(), /accepted/);
    assert.match(await result.innerText(), /Answer: 200/);
    assert.match(await result.innerText(), /received/);
    assert.ok(receiver.requests.some((r) => r.url === '/n8n'));
    await shot('destination');
  });

  test('a contact is found by BSUID, and its conversation takes labels and a note', async () => {
    const list = await api<{
      data: { contact: { user_id: string | null; name: string | null }; last_user_message: unknown }[];
    }>('/api/v1/conversations?limit=50');
    const conv = list.data.find((c) => c.contact.user_id !== null && c.last_user_message !== null);
    assert.ok(conv, 'the BSUID-only scenario made a conversation');
    const bsuid = conv.contact.user_id!;
    await go('#/search');
    await page.getByLabel('wamid, phone number or BSUID').fill(bsuid);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('dl.card').getByText(bsuid, { exact: true }).waitFor();
    await page
      .locator('table', { hasText: 'Recent events of this contact' })
      .getByText('message.text')
      .first()
      .waitFor();
    await go('#/conversations');
    await page
      .getByRole('link', { name: conv.contact.name ?? bsuid })
      .first()
      .click();
    await page.getByRole('heading', { name: `Conversation with ${bsuid}` }).waitFor();
    await page.getByLabel('Labels (comma-separated)').fill('vip, follow-up');
    await page.getByLabel('Note', { exact: true }).fill('Call back on Monday');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    const saved = await api<{ labels: string[]; note: string | null }>(
      `/api/v1/conversations/${encodeURIComponent(bsuid)}`,
    );
    assert.deepEqual(saved.labels, ['vip', 'follow-up']);
    assert.equal(saved.note, 'Call back on Monday');
    await shot('conversation');
  });

  test('an invalid delivery shows its error and its body as received', async () => {
    const broken = '{"object":"whatsapp_business_account","entry":[{"id":"1"';
    assert.equal((await postSigned(`${base}/webhooks/whatsapp`, broken, SECRET)).status, 200);
    await waitFor(
      'the delivery marked invalid',
      async () => (await api<{ data: unknown[] }>('/api/v1/deliveries?state=invalid')).data.length > 0,
      SEEN,
    );
    await go('#/deliveries');
    await page.getByLabel('State').selectOption('invalid');
    const row = page.locator('tbody tr.failed').first();
    await row.waitFor();
    assert.match(await row.innerText(), /invalid/);
    await row.getByText('Raw body').click();
    await row.locator('pre').waitFor();
    assert.equal(await row.locator('pre').innerText(), broken);
    await shot('deliveries');
  });

  test('a wamid nobody mentioned is said to be unknown, not "not available"', async () => {
    await go('#/messages/wamid.NOSUCHMESSAGE');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /404 NOT_FOUND/);
    assert.match(await alert.innerText(), /no event mentioned this message/);
  });

  test('the keyboard reaches "Skip to content" first and every screen from the navigation', async () => {
    await go('#/overview');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate<string>('document.activeElement.textContent'), 'Skip to content');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate<string>('document.activeElement.textContent'), 'Live events');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Live events' }).waitFor();
  });

  test("a message's stored image is shown, fetched with the token", async () => {
    const m = graph.state.media.add(png(), { mimeType: 'image/png' });
    const body = inbound(
      'wamid.DASHBOARDIMG1',
      Math.floor(Date.now() / 1000),
      { type: 'image', image: { id: m.id, mime_type: 'image/png', sha256: m.sha256, caption: 'the parcel' } },
      { waId: '447700900777', name: 'Ana Ruiz' },
    );
    assert.equal((await postSigned(`${base}/webhooks/whatsapp`, body, SECRET)).status, 200);
    await waitFor(
      'the image stored',
      async () => {
        const r = await httpRequest(`${base}/api/v1/messages/wamid.DASHBOARDIMG1`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        return (
          r.status === 200 && (JSON.parse(r.body) as { media: { stored?: boolean } }).media.stored === true
        );
      },
      SEEN,
    );
    await go('#/messages/wamid.DASHBOARDIMG1');
    const img = page.getByRole('img', { name: "The message's image" });
    await img.waitFor();
    await waitFor(
      'the image decoded',
      async () => (await page.evaluate<number>("document.querySelector('img.media').naturalWidth")) === 4,
      SEEN,
    );
    assert.match(
      (await img.getAttribute('src')) ?? '',
      /^blob:/,
      'drawn from memory, not a URL the token would be missing from',
    );
    await shot('media');
  });

  test('a paused template is shown on the board', async () => {
    const r = await postSigned(
      `${base}/webhooks/whatsapp`,
      fixtureBytes('message_template_status_update/paused.json'),
      SECRET,
    );
    assert.equal(r.status, 200);
    await waitFor(
      'the template stored',
      async () => (await api<{ data: unknown[] }>('/api/v1/templates')).data.length > 0,
      SEEN,
    );
    await go('#/templates');
    const column = page.locator('[data-status="PAUSED"]');
    await column.waitFor();
    assert.match(await column.innerText(), /spring_sale/);
    await shot('templates');
  });

  test('overview, dark mode and a phone-sized screen', async () => {
    await go('#/overview');
    await page.getByText('Events by name, last hour').waitFor();
    const names = await page.locator('table', { hasText: 'Events by name' }).innerText();
    assert.match(names, /status\.failed/);
    await page.getByText('Deliveries per second').waitFor({ timeout: SEEN }); // two /metrics scrapes drawn
    await shot('overview');
    await page.emulateMedia({ colorScheme: 'dark' });
    const bg = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    assert.notEqual(bg, 'rgb(255, 255, 255)', 'the system dark mode is followed');
    await shot('overview-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 390, height: 844 });
    await go('#/live');
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    assert.ok(overflow <= 1, `no sideways scrolling on a phone (${overflow}px)`);
    await shot('phone');
  });
});
