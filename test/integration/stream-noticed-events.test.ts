/**
 * The live stream takes the events of this process's own commits from the commit notice instead of
 * reading them back (src/api/stream-fan-out.ts): what it sends must stay exactly what a read gives,
 * with no event skipped or sent twice, in commit order, whoever committed it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, get, type IncomingMessage } from 'node:http';
import { SqliteProcessingStore } from '../../src/adapters/sqlite/processing-store.js';
import { CommitNotices } from '../../src/adapters/sqlite/commit-notices.js';
import { processBatch } from '../../src/app/process-batch.js';
import type { CommitNotice, ReadStore, StoredEvent } from '../../src/ports/read-store.js';
import { StreamFanOut } from '../../src/api/stream-fan-out.js';
import { sseFrame } from '../../src/api/sse-frame.js';
import { createHarness, type Harness } from '../helpers/processing-harness.js';
import { fixtureBytes, fixturePaths } from '../helpers/fixtures.js';
import { statusDelivery } from '../helpers/webhook-bodies.js';
import { waitFor } from '../helpers/wait-for.js';

/** The harness's read store, counting the events eventsAfter read back from the database. */
function countingReads(h: Harness) {
  const counted = {
    readBack: 0,
    eventsAfter: async (after: string, filter: Record<string, unknown>, limit: number) => {
      const events = await h.reads.eventsAfter(after, filter, limit);
      counted.readBack += events.length;
      return events;
    },
    lastEventId: () => h.reads.lastEventId(),
    onCommit: (l: (n: CommitNotice) => void) => h.reads.onCommit(l),
  };
  return counted;
}

/** Serves the fan-out: `/?after=N` resumes after event N (as Last-Event-ID does), else from the newest. */
async function streamServer(store: ReturnType<typeof countingReads>) {
  const fanOut = new StreamFanOut(store as unknown as ReadStore, 100);
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.flushHeaders();
    const after = new URL(req.url ?? '/', 'http://x').searchParams.get('after');
    void (after === null ? store.lastEventId() : Promise.resolve(after))
      .then((start) => fanOut.join(res, {}, start))
      .then((leave) => res.once('close', leave));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { fanOut, server, port: (server.address() as { port: number }).port };
}

/** Follows the stream, collecting the ids and the data lines of the events it receives. */
function follow(port: number, path = '/'): Promise<{ ids: string[]; data: string[]; res: IncomingMessage }> {
  return new Promise((resolve) => {
    get({ port, host: '127.0.0.1', path }, (res) => {
      const got = { ids: [] as string[], data: [] as string[], res };
      let text = '';
      res.on('data', (c: Buffer) => {
        text += c.toString();
        for (let end = text.indexOf('\n\n'); end >= 0; end = text.indexOf('\n\n')) {
          const frame = text.slice(0, end);
          text = text.slice(end + 2);
          const id = /^id: (\d+)$/m.exec(frame)?.[1];
          if (id === undefined) continue;
          got.ids.push(id);
          got.data.push(/^data: (.*)$/m.exec(frame)?.[1] ?? '');
        }
      });
      resolve(got);
    }).on('error', () => undefined);
  });
}

let wamid = 0;
/** Stores `n` new status deliveries (one event each). */
function addStatuses(h: Harness, n: number): void {
  for (let i = 0; i < n; i++)
    h.add(statusDelivery({ wamid: `wamid.N${++wamid}`, status: 'delivered', ts: 1_750_000_000 + wamid }));
}

/** A second writer on the same database file whose commits this process is not told of. */
function otherWriter(h: Harness) {
  const store = new SqliteProcessingStore(h.path, { notices: new CommitNotices() });
  let clock = 1_900_000_000_000;
  return {
    drain: () =>
      processBatch({
        store,
        targets: [],
        workerId: 'other-process',
        limit: 100,
        leaseMs: 30_000,
        maxAttempts: 3,
        now: () => ++clock,
      }),
    close: () => store.close(),
  };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

describe('the stream sends this process’s committed events from the commit notice', () => {
  test('for every fixture, the event a notice hands over is sent exactly as the database reads it back', async () => {
    const h = createHarness();
    try {
      const noticed: StoredEvent[] = [];
      h.reads.onCommit((n) => noticed.push(...(n.events ?? [])));
      for (const path of fixturePaths()) h.add(fixtureBytes(path));
      await h.drain(25);
      const read = await h.reads.eventsAfter('0', {}, 1_000_000);
      assert.ok(read.length > 100, `${read.length} events from the fixtures`);
      assert.deepEqual(
        noticed.map((e) => e.id),
        read.map((e) => e.id),
        'every committed event is handed over, in id order',
      );
      for (const [i, e] of noticed.entries()) assert.equal(sseFrame(e), sseFrame(read[i] as StoredEvent));
    } finally {
      await h.close();
    }
  });

  test('events committed in this process reach every client without being read back from the database', async () => {
    const h = createHarness();
    const store = countingReads(h);
    const { fanOut, server, port } = await streamServer(store);
    try {
      const clients = await Promise.all(Array.from({ length: 3 }, () => follow(port)));
      await waitFor('all joined', () => fanOut.open === 3);
      for (let c = 1; c <= 4; c++) {
        addStatuses(h, 5);
        await h.drain(5);
        await waitFor(`commit ${c} everywhere`, () => clients.every((x) => x.ids.length === 5 * c));
      }
      for (const c of clients) assert.deepEqual(c.ids, range(1, 20));
      assert.equal(store.readBack, 0, 'no event was read back');
      const read = await h.reads.eventsAfter('0', {}, 100);
      assert.deepEqual(
        clients[0]?.data,
        read.map((e) => sseFrame(e).split('\n')[2]?.slice('data: '.length)),
        'the same JSON a read gives',
      );
      for (const c of clients) c.res.destroy();
    } finally {
      server.closeAllConnections();
      server.close();
      await h.close();
    }
  });

  test('events another process committed in between still arrive, in id order, each once', async () => {
    const h = createHarness();
    const other = otherWriter(h);
    const store = countingReads(h);
    const { fanOut, server, port } = await streamServer(store);
    try {
      const client = await follow(port);
      await waitFor('joined', () => fanOut.open === 1);
      addStatuses(h, 3);
      await h.drain(10); // 1..3, noticed
      await waitFor('1..3', () => client.ids.length === 3);
      addStatuses(h, 2);
      await other.drain(); // 4..5: no notice here
      addStatuses(h, 3);
      await h.drain(10); // 6..8, noticed: 4 and 5 come between
      await waitFor('1..8', () => client.ids.length === 8);
      addStatuses(h, 2);
      await h.drain(10); // 9..10
      await waitFor('1..10', () => client.ids.length === 10);
      assert.deepEqual(client.ids, range(1, 10));
      client.res.destroy();
    } finally {
      server.closeAllConnections();
      server.close();
      await other.close();
      await h.close();
    }
  });

  test('an event read from the database before its notice arrives is not sent again', async () => {
    const h = createHarness();
    const store = countingReads(h);
    // The stream's notices are held back here and handed on when the test says.
    let hear: (n: CommitNotice) => void = () => undefined;
    const heldBack: CommitNotice[] = [];
    store.onCommit = (l) => {
      hear = l;
      return h.reads.onCommit((n) => heldBack.push(n));
    };
    const { fanOut, server, port } = await streamServer(store);
    try {
      const client = await follow(port);
      await waitFor('joined', () => fanOut.open === 1);
      addStatuses(h, 4);
      await h.drain(2); // two commits, 1..2 and 3..4, their notices held back
      hear({ lastEventId: '4', wamids: [] }); // a notice without events: the stream reads 1..4
      await waitFor('1..4 read back', () => client.ids.length === 4);
      for (const n of heldBack.splice(0)) hear(n); // the late notices of 1..4
      addStatuses(h, 1);
      await h.drain(2);
      for (const n of heldBack.splice(0)) hear(n); // 5
      await waitFor('5 arrived', () => client.ids.includes('5'));
      assert.deepEqual(client.ids, range(1, 5));
      client.res.destroy();
    } finally {
      server.closeAllConnections();
      server.close();
      await h.close();
    }
  });

  test('a client resuming with Last-Event-ID catches up from the database, then follows the noticed events with no gap and no repeat', async () => {
    const h = createHarness();
    const store = countingReads(h);
    const { fanOut, server, port } = await streamServer(store);
    try {
      const live = await follow(port);
      await waitFor('live joined', () => fanOut.open === 1);
      addStatuses(h, 6);
      await h.drain(3);
      await waitFor('live has 1..6', () => live.ids.length === 6);
      const resumed = await follow(port, '/?after=2');
      await waitFor('resumed caught up', () => resumed.ids.length === 4);
      addStatuses(h, 3);
      await h.drain(3);
      await waitFor('both have 9', () => live.ids.length === 9 && resumed.ids.length === 7);
      assert.deepEqual(live.ids, range(1, 9));
      assert.deepEqual(resumed.ids, range(3, 9));
      live.res.destroy();
      resumed.res.destroy();
    } finally {
      server.closeAllConnections();
      server.close();
      await h.close();
    }
  });
});
