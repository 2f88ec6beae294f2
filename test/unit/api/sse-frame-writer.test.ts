import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SseFrameWriter } from '../../../src/api/sse-frame-writer.js';
import { SseBatch } from '../../../src/api/sse-batch.js';
import { sseFrame } from '../../../src/api/sse-frame.js';
import type { StoredEvent } from '../../../src/ports/read-store.js';
import { eventsOf, fixturePaths } from '../../helpers/fixtures.js';
import { committedJson, parseCommitted } from '../../../src/adapters/sqlite/committed-json.js';
import { eventAsRead } from '../../../src/adapters/sqlite/event-from-row.js';
import { rawTextOf } from '../../../src/events/raw-text.js';

/** Every fixture's events, numbered from 1: real shapes, non-ASCII text among them. */
const events: StoredEvent[] = fixturePaths()
  .filter((p) => !p.includes('malformed'))
  .flatMap((p) => eventsOf(p))
  .map((event, i) => ({ id: String(i + 1), event }));
const text = (es: readonly StoredEvent[]) => es.map(sseFrame).join('');

describe('the frames a live stream group holds until its batch goes out', () => {
  test('are each commit’s frames as UTF-8, one run after another, with each frame’s id and end', () => {
    assert.ok(events.length > 1000, `${events.length} events`);
    assert.ok(
      events.some((e) => Buffer.byteLength(sseFrame(e)) > sseFrame(e).length),
      'some frames hold multi-byte characters',
    );
    const writer = new SseFrameWriter(1024);
    const a = writer.append(events.slice(0, 10));
    const b = writer.append(events.slice(10));
    assert.equal(a.bytes.toString(), text(events.slice(0, 10)));
    assert.equal(b.bytes.toString(), text(events.slice(10)), 'the later run, though the Buffer grew');
    assert.deepEqual(a.ids, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal(a.ends.at(-1), a.bytes.length);
    assert.equal(a.after(3).bytes.toString(), text(events.slice(3, 10)), 'cut at a byte offset');
    assert.equal(
      new SseBatch([a, b]).chunk(false).toString(),
      text(events),
      'a batch of the runs joins them in order',
    );
  });

  test('are written again from the start after a reset: a batch hands out only Buffers of its own', () => {
    const writer = new SseFrameWriter();
    const batch = new SseBatch([writer.append(events.slice(0, 5)), writer.append(events.slice(5, 9))]);
    const plain = batch.chunk(false);
    const framed = batch.httpChunk(true);
    const gzip = Buffer.from(batch.chunk(true));
    writer.reset();
    const next = writer.append(events.slice(100, 109));
    assert.equal(next.bytes.toString(), text(events.slice(100, 109)));
    assert.equal(plain.toString(), text(events.slice(0, 9)), 'the batch sent before the reset is intact');
    assert.deepEqual(batch.chunk(true), gzip);
    assert.ok(framed.includes(gzip), 'and so is its framed chunk');
  });

  test('are the frames byte for byte when each event’s raw is still the JSON text it came as', () => {
    // As the processing thread hands committed events over: each `raw` kept as its text, spliced
    // into the frame in pieces (no joined string); an event without `raw` reads back as null.
    const sent = [...events.slice(0, 400), { ...(events[0] as StoredEvent), id: '401' }];
    (sent[400] as { event: object }).event = { ...sent[0]?.event, raw: undefined };
    const committed = sent.map((e) => ({ id: e.id, event: e.event, deliveryId: e.id }));
    const handed = parseCommitted(committedJson(committed)).map((c) => ({
      id: c.id,
      event: eventAsRead(c.event),
    }));
    assert.ok(
      handed.every((e) => rawTextOf(e.event) !== undefined),
      'every raw is still text',
    );
    const run = new SseFrameWriter(256).append(handed);
    const expected = sent.map((e) => sseFrame({ id: e.id, event: { ...e.event, raw: e.event.raw ?? null } }));
    assert.equal(run.bytes.toString(), expected.join(''));
    assert.deepEqual(
      run.ends,
      expected.map((_, i) => Buffer.byteLength(expected.slice(0, i + 1).join(''))),
      'each frame ends where its bytes do',
    );
    assert.ok(
      handed.every((e) => rawTextOf(e.event) !== undefined),
      'and no raw was parsed to write it',
    );
  });

  test('encode gives events a Buffer of their own (a read from the database)', () => {
    const run = SseFrameWriter.encode(events.slice(20, 25));
    assert.equal(run.bytes.toString(), text(events.slice(20, 25)));
    assert.deepEqual(run.ids, [21, 22, 23, 24, 25]);
  });
});
