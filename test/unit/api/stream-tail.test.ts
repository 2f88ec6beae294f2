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

/** A response whose client reads nothing: every write reports a full buffer until 'drain'. */
class SlowClient extends EventEmitter {
  written: string[] = [];
  writableNeedDrain = false;
  destroyed = false;
  writableEnded = false;
  write(chunk: string): boolean {
    this.written.push(chunk);
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
    assert.equal(client.written.length, 500);
    client.drain();
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(reads, ['0', '500']);
    client.drain();
    await new Promise((r) => setTimeout(r, 20));
    client.drain();
    await pumping;
    assert.equal(client.written.length, 1200, 'every event sent once, in order');
    assert.ok(client.written[1199]?.startsWith('id: 1200\n'));
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
    assert.equal(client.written.length, 1);
  });
});
