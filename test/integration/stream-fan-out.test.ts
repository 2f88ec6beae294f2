import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, get, type IncomingMessage, type ServerResponse } from 'node:http';
import { constants, createGunzip } from 'node:zlib';
import { connect } from 'node:net';
import type { ReadStore, StoredEvent } from '../../src/ports/read-store.js';
import { StreamFanOut } from '../../src/api/stream-fan-out.js';
import { streamRoutes } from '../../src/api/routes/stream-routes.js';
import { LiveConnections } from '../../src/api/live-connections.js';
import { startTestWharf, TEST_API_TOKEN } from '../helpers/start-test-wharf.js';
import { waitFor } from '../helpers/wait-for.js';

/** A store holding events in memory that counts its reads and announces commits when told. */
function memoryStore(rawBytes = 10) {
  const events: StoredEvent[] = [];
  const listeners = new Set<() => void>();
  const store = {
    reads: 0,
    async eventsAfter(after: string, _filter: unknown, limit: number) {
      store.reads++;
      return events.filter((e) => Number(e.id) > Number(after)).slice(0, limit);
    },
    async lastEventId() {
      return events.at(-1)?.id ?? '0';
    },
    onCommit(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    commit(n: number) {
      for (let i = 0; i < n; i++) {
        const id = String(events.length + 1);
        events.push({
          id,
          event: {
            name: 'message.text',
            key: id,
            field: 'messages',
            wabaId: 'w',
            raw: 'x'.repeat(rawBytes),
            data: {},
          },
        } as unknown as StoredEvent);
      }
      for (const l of listeners) l();
    },
  };
  return store;
}

/** Follows an SSE response, collecting the ids of the events it receives. */
function follow(
  port: number,
  opts: { read?: boolean } = {},
): Promise<{ ids: string[]; res: IncomingMessage }> {
  return new Promise((resolve) => {
    get({ port, host: '127.0.0.1', path: '/' }, (res) => {
      const ids: string[] = [];
      let text = '';
      if (opts.read === false) res.pause();
      else
        res.on('data', (c: Buffer) => {
          text += c.toString();
          for (let nl = text.indexOf('\n\n'); nl >= 0; nl = text.indexOf('\n\n')) {
            const id = /^id: (\d+)/m.exec(text.slice(0, nl))?.[1];
            if (id) ids.push(id);
            text = text.slice(nl + 2);
          }
        });
      resolve({ ids, res });
    }).on('error', () => undefined);
  });
}

/** What was written to each response's connection, per response. */
function recordWrites(res: ServerResponse, writes: unknown[][]): void {
  const mine: unknown[] = [];
  writes.push(mine);
  const socket = res.socket as NonNullable<typeof res.socket>;
  const write = socket.write.bind(socket) as (chunk: unknown) => boolean;
  socket.write = ((chunk: unknown) => (mine.push(chunk), write(chunk))) as typeof socket.write;
}

async function fanOutServer(store: ReturnType<typeof memoryStore>) {
  const fanOut = new StreamFanOut(store as unknown as ReadStore, 1000);
  const writes: unknown[][] = [];
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.flushHeaders();
    recordWrites(res, writes);
    void fanOut.join(res, {}, '0').then((leave) => res.once('close', leave));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { fanOut, server, writes, port: (server.address() as { port: number }).port };
}

/** Serves GET /api/v1/stream (the real route) over `store`. */
async function streamServer(store: ReturnType<typeof memoryStore>) {
  const [route] = streamRoutes(store as unknown as ReadStore, new LiveConnections());
  const server = createServer((req, res) => {
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    void route!.handler({ req, res, params: {}, query });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, port: (server.address() as { port: number }).port };
}

/** Follows the stream asking for gzip, decoding it as it arrives; collects the event ids. */
function followGzip(port: number, path = '/') {
  return new Promise<{ ids: string[]; res: IncomingMessage }>((resolve) => {
    get({ port, host: '127.0.0.1', path, headers: { 'accept-encoding': 'gzip' } }, (res) => {
      const ids: string[] = [];
      let text = '';
      const gunzip = createGunzip({ finishFlush: constants.Z_SYNC_FLUSH });
      gunzip.on('data', (c: Buffer) => {
        text += c.toString();
        ids.push(...[...text.matchAll(/^id: (\d+)$/gm)].map((m) => m[1] as string).slice(ids.length));
      });
      gunzip.on('error', () => undefined);
      res.pipe(gunzip);
      resolve({ ids, res });
    }).on('error', () => undefined);
  });
}

describe('the live stream cannot starve ingest', () => {
  test('30 clients with the same filter share one reader: one database read per commit, every client gets every event in order', async () => {
    const store = memoryStore();
    const { fanOut, server, port } = await fanOutServer(store);
    try {
      const clients = await Promise.all(Array.from({ length: 30 }, () => follow(port)));
      await waitFor('all joined', () => fanOut.open === 30);
      await new Promise((r) => setImmediate(r));
      const readsBefore = store.reads;
      for (let c = 0; c < 5; c++) {
        store.commit(3);
        await waitFor(`commit ${c} everywhere`, () => clients.every((x) => x.ids.length === 3 * (c + 1)));
      }
      assert.ok(
        store.reads - readsBefore <= 5 + 1,
        `${store.reads - readsBefore} reads for 5 commits and 30 clients`,
      );
      const expected = Array.from({ length: 15 }, (_, i) => String(i + 1));
      for (const c of clients) assert.deepEqual(c.ids, expected);
      for (const c of clients) c.res.destroy();
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  test('a batch is encoded and framed once: every client connection is written the same Buffer, in one write per batch', async () => {
    const store = memoryStore();
    const { fanOut, server, writes, port } = await fanOutServer(store);
    try {
      const clients = await Promise.all(Array.from({ length: 5 }, () => follow(port)));
      await waitFor('all joined', () => fanOut.open === 5);
      await new Promise((r) => setImmediate(r));
      const before = writes.map((w) => w.length);
      store.commit(4);
      await waitFor('the batch everywhere', () => clients.every((c) => c.ids.length === 4));
      const batchWrites = writes.map((w, i) => w.slice(before[i]));
      for (const w of batchWrites) assert.equal(w.length, 1, 'four events, one write');
      const [first] = batchWrites[0] as [Buffer];
      assert.ok(Buffer.isBuffer(first));
      for (const [chunk] of batchWrites) assert.equal(chunk, first, 'the same Buffer, not a copy per client');
      for (const c of clients) c.res.destroy();
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  test('a stream asked for with Accept-Encoding: gzip is gzip; clients that join later decode from where they join', async () => {
    const store = memoryStore(300);
    const { server, port } = await streamServer(store);
    try {
      const early = await followGzip(port);
      assert.equal(early.res.headers['content-encoding'], 'gzip');
      assert.match(String(early.res.headers.vary), /accept-encoding/i);
      store.commit(3);
      await waitFor('early has 1..3', () => early.ids.length === 3);
      const later = await followGzip(port);
      const resumed = await followGzip(port, '/?after=1');
      store.commit(2);
      const all = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1));
      await waitFor('every client has its events', () =>
        [early.ids.length === 5, later.ids.length === 2, resumed.ids.length === 4].every(Boolean),
      );
      assert.deepEqual(early.ids, all(5));
      assert.deepEqual(later.ids, ['4', '5']);
      assert.deepEqual(
        resumed.ids,
        all(5).slice(1),
        'caught up alone (gzip), then shared, no gap, no repeat',
      );
      for (const c of [early, later, resumed]) c.res.destroy();
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  test('a client resuming from an older id catches up alone, then joins the shared reader with no gap and no repeat', async () => {
    const store = memoryStore();
    const fanOut = new StreamFanOut(store as unknown as ReadStore, 10);
    const server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.flushHeaders();
      const start = req.url === '/late' ? '0' : '6';
      void fanOut.join(res, {}, start).then((leave) => res.once('close', leave));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      store.commit(6);
      const early = await follow(port);
      await waitFor('early joined', () => fanOut.open === 1);
      store.commit(4);
      await waitFor('early has 7..10', () => early.ids.length === 4);
      const late = await new Promise<{ ids: string[]; res: IncomingMessage }>((resolve) => {
        get({ port, host: '127.0.0.1', path: '/late' }, (res) => {
          const ids: string[] = [];
          res.on('data', (c: Buffer) =>
            ids.push(...[...c.toString().matchAll(/^id: (\d+)$/gm)].map((m) => m[1] as string)),
          );
          resolve({ ids, res });
        });
      });
      await waitFor('late caught up', () => late.ids.length === 10);
      store.commit(2);
      await waitFor('both have 12', () => late.ids.length === 12 && early.ids.length === 6);
      assert.deepEqual(
        late.ids,
        Array.from({ length: 12 }, (_, i) => String(i + 1)),
      );
      early.res.destroy();
      late.res.destroy();
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  test('a client whose answer is not chunked (HTTP/1.0) gets the same events, unframed', async () => {
    const store = memoryStore();
    const { fanOut, server, port } = await fanOutServer(store);
    const socket = connect(port, '127.0.0.1');
    try {
      let text = '';
      socket.on('data', (c: Buffer) => (text += c.toString()));
      socket.write('GET / HTTP/1.0\r\n\r\n');
      await waitFor('joined', () => fanOut.open === 1);
      store.commit(3);
      await waitFor('three events', () => text.match(/^id: /gm)?.length === 3);
      const [head, body] = text.split('\r\n\r\n') as [string, string];
      assert.doesNotMatch(head, /transfer-encoding/i);
      assert.deepEqual(
        [...body.matchAll(/^id: (\d+)$/gm)].map((m) => m[1]),
        ['1', '2', '3'],
      );
      assert.match(body, /^id: 1\n/, 'no chunk size line before the first frame');
    } finally {
      socket.destroy();
      server.closeAllConnections();
      server.close();
    }
  });

  test('a client that does not read is dropped instead of buffered for; the others keep up', async () => {
    const store = memoryStore(64 * 1024);
    const { fanOut, server, port } = await fanOutServer(store);
    try {
      const reader = await follow(port);
      const stalled = await follow(port, { read: false });
      await waitFor('both joined', () => fanOut.open === 2);
      // 64 KB events until the stalled client's unsent bytes pass the limit (kernel buffers first).
      for (let i = 0; i < 40 && fanOut.open === 2; i++) {
        store.commit(20);
        await waitFor('the reader has them', () => reader.ids.length === 20 * (i + 1));
      }
      // (A paused client socket does not notice the server dropped it; the server's count does.)
      assert.equal(fanOut.open, 1, 'the client that does not read was dropped');
      stalled.res.destroy();
      store.commit(1);
      await waitFor('the reader still gets events', () => reader.ids.length % 20 === 1);
      reader.res.destroy();
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  test('past WHARF_MAX_STREAMS a new stream gets 503 + Retry-After', async () => {
    const w = await startTestWharf({ WHARF_MAX_STREAMS: 2 });
    const open: IncomingMessage[] = [];
    const stream = () =>
      new Promise<IncomingMessage>((resolve) =>
        get(
          `${w.baseUrl}/api/v1/stream`,
          { headers: { authorization: `Bearer ${TEST_API_TOKEN}` } },
          resolve,
        ),
      );
    try {
      for (let i = 0; i < 2; i++) open.push(await stream());
      assert.deepEqual(
        open.map((r) => r.statusCode),
        [200, 200],
      );
      const third = await stream();
      assert.equal(third.statusCode, 503);
      assert.match(String(third.headers['retry-after']), /^\d+$/);
      third.resume();
    } finally {
      for (const r of open) r.destroy();
      await w.stop();
    }
  });
});
