import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { ReadStore, StoredEvent } from '../../../src/ports/read-store.js';
import type { AnyWharfEvent } from '../../../src/events/wharf-event.js';
import { Tail } from '../../../src/api/routes/stream-tail.js';

const event = (id: number): StoredEvent => ({
  id: String(id),
  event: {
    name: 'status.sent',
    key: `status:wamid.${id}:sent`,
    field: 'messages',
    occurredAt: 1767225600000,
    wabaId: '8',
    data: { status: 'sent' },
    raw: {},
  } as unknown as AnyWharfEvent,
});

const ids = (written: string[]) => [...written.join('').matchAll(/^id: (\d+)$/gm)].map((m) => m[1]);

/** A response whose client reads nothing: every write reports a full buffer until 'drain'. */
class SlowClient extends EventEmitter {
  written: string[] = [];
  writableNeedDrain = false;
  destroyed = false;
  writableEnded = false;
  write(chunk: Buffer | string): boolean {
    this.written.push(chunk.toString());
    this.writableNeedDrain = true;
    return false;
  }
  drain(): void {
    this.writableNeedDrain = false;
    this.emit('drain');
  }
}

describe('the SSE tail', () => {
  test('reads no further page from the database while a slow client has not drained the last one', async () => {
    const reads: string[] = [];
    const store = {
      eventsAfter: async (after: string, _filter: unknown, limit: number) => {
        reads.push(after);
        const from = Number(after) + 1;
        return from > 1200
          ? []
          : Array.from({ length: Math.min(limit, 1201 - from) }, (_, i) => event(from + i));
      },
    } as unknown as ReadStore;
    const client = new SlowClient();
    const tail = new Tail(store, client as unknown as ServerResponse, {}, '0');
    const pumping = tail.pump();
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(reads, ['0'], 'one page read, then it waits for the client');
    assert.equal(client.written.length, 1, 'the page is one write');
    assert.equal(ids(client.written).length, 500);
    client.drain();
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(reads, ['0', '500']);
    client.drain();
    await new Promise((r) => setTimeout(r, 20));
    client.drain();
    await pumping;
    assert.deepEqual(
      ids(client.written),
      Array.from({ length: 1200 }, (_, i) => String(i + 1)),
      'every event sent once, in order, one write per page',
    );
    assert.equal(client.written.length, 3);
  });

  test('stops waiting when the client goes away', async () => {
    const store = {
      eventsAfter: async (after: string) => (after === '0' ? [event(1)] : []),
    } as unknown as ReadStore;
    const client = new SlowClient();
    const tail = new Tail(store, client as unknown as ServerResponse, {}, '0');
    const pumping = tail.pump();
    await new Promise((r) => setTimeout(r, 10));
    client.destroyed = true;
    client.emit('close');
    await pumping;
    assert.deepEqual(ids(client.written), ['1']);
  });
});
