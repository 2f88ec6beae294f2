/**
 * A graceful stop ends every open stream and long-poll first (LiveConnections.closeAll), then
 * drains the server: requests still arrive on open keep-alive connections meanwhile.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tempDir } from '../helpers/temp-dir.js';
import { openDatabase } from '../../src/adapters/sqlite/open-database.js';
import { migrate } from '../../src/adapters/sqlite/migrate.js';
import { SqliteProcessingStore } from '../../src/adapters/sqlite/processing-store.js';
import { SqliteReadStore } from '../../src/adapters/sqlite/read-store.js';
import { LiveConnections } from '../../src/api/live-connections.js';
import { streamRoutes } from '../../src/api/routes/stream-routes.js';
import { messagesRoutes } from '../../src/api/routes/messages-routes.js';
import type { ApiRoute } from '../../src/api/api-router.js';
import { httpRequest } from '../helpers/post-signed.js';
import { insertDelivery } from '../helpers/processing-harness.js';
import { statusDelivery } from '../helpers/webhook-bodies.js';
import { drain } from '../conformance/processing-store.conformance.js';

/**
 * Between a stream's end and its response's close, its timers and commit notices still run; a write
 * then is a write-after-end, which node:http raises as an 'error' nobody listens to: the process
 * crashes instead of exiting 0. The timers are mocked so the heartbeat lands exactly in that gap.
 */
test('a stream ended by shutdown writes nothing after its end: no heartbeat or tail after it crashes the process', async (t) => {
  const dir = tempDir();
  const path = join(dir.path, 'wharf.db');
  const db = openDatabase(path);
  migrate(db, 0);
  const reads = new SqliteReadStore(path);
  const live = new LiveConnections();
  const [route] = streamRoutes(reads, live);
  assert.ok(route);
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown) => uncaught.push(err);
  process.on('uncaughtException', onUncaught);
  t.mock.timers.enable({ apis: ['setInterval'] });
  const server = createServer(
    (req, res) => void route.handler({ req, res, params: {}, query: new URLSearchParams() }),
  );
  try {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const ended = new Promise<string>((resolve, reject) => {
      const req = request(`http://127.0.0.1:${port}/api/v1/stream`, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
          if (text.includes('stream from event')) {
            // Shutdown ends the stream; its heartbeat and tail timers fire before the close arrives.
            live.closeAll();
            t.mock.timers.tick(15_000);
          }
        });
        res.on('end', () => resolve(text));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
    const text = await ended;
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(uncaught, []);
    assert.ok(!text.includes('keep-alive'), 'nothing written after the end');
  } finally {
    process.off('uncaughtException', onUncaught);
    t.mock.timers.reset();
    server.close();
    await reads.close();
    db.close();
    dir.cleanup();
  }
});

/** Serves `route` on 127.0.0.1 with a SQLite store holding one sent message, wamid.LIVE. */
async function serveRoute(make: (reads: SqliteReadStore, live: LiveConnections) => ApiRoute[]) {
  const dir = tempDir();
  const path = join(dir.path, 'wharf.db');
  const db = openDatabase(path);
  migrate(db, 0);
  insertDelivery(db, statusDelivery({ wamid: 'wamid.LIVE', status: 'sent', ts: 1767225600 }));
  const store = new SqliteProcessingStore(path);
  await drain(store);
  await store.close();
  const reads = new SqliteReadStore(path);
  const live = new LiveConnections();
  const [route] = make(reads, live);
  assert.ok(route);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const wamid = url.pathname.split('/').pop() ?? '';
    Promise.resolve(route.handler({ req, res, params: { wamid }, query: url.searchParams })).catch(
      (err: unknown) => res.writeHead(500).end(String(err)),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    live,
    async close() {
      server.closeAllConnections();
      server.close();
      await reads.close();
      db.close();
      dir.cleanup();
    },
  };
}

test('a long-poll that arrives after shutdown began answers at once with the current state', async () => {
  const s = await serveRoute((reads, live) => messagesRoutes(reads, live));
  try {
    s.live.closeAll();
    const started = Date.now();
    const r = await httpRequest(`${s.base}/api/v1/messages/wamid.LIVE?wait=read&timeout=10`);
    assert.equal(r.status, 200, r.body);
    assert.ok(Date.now() - started < 2000);
    const body = JSON.parse(r.body) as { status: string; wait: unknown };
    assert.equal(body.status, 'sent');
    assert.deepEqual(body.wait, { status: 'read', reached: false });
  } finally {
    await s.close();
  }
});

test('a stream that opens after shutdown began is ended at once, cleanly', async () => {
  const s = await serveRoute((reads, live) => streamRoutes(reads, live));
  try {
    s.live.closeAll();
    const r = await httpRequest(`${s.base}/api/v1/stream`);
    assert.equal(r.status, 200, r.body);
    assert.match(r.body, /stream from event/);
  } finally {
    await s.close();
  }
});
