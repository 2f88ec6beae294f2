/**
 * A processing batch's committed events cross from the processing thread to the main thread as JSON
 * text with each `raw` apart (src/adapters/sqlite/committed-json.ts): read back they must be the
 * events committed, and the live stream's frame of one must be the frame of the event itself,
 * made without parsing its `raw`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { committedJson, parseCommitted } from '../../src/adapters/sqlite/committed-json.js';
import { eventAsRead } from '../../src/adapters/sqlite/event-from-row.js';
import { sseFrame } from '../../src/api/sse-frame.js';
import { rawTextOf } from '../../src/events/raw-text.js';
import type { CommittedEvent } from '../../src/ports/processing-store.js';
import type { AnyWharfEvent } from '../../src/events/wharf-event.js';
import { eventsOf, fixturePaths } from '../helpers/fixtures.js';

/** Every fixture's events as one batch would commit them, plus events a read gives back changed. */
function committedBatch(): CommittedEvent[] {
  const events: AnyWharfEvent[] = fixturePaths().flatMap((path) => [...eventsOf(path)]);
  const first = events[0] as AnyWharfEvent;
  events.push(
    { ...first, raw: undefined } as unknown as AnyWharfEvent,
    { ...first, wabaId: '', contact: { waId: '' } } as unknown as AnyWharfEvent,
  );
  return events.map((event, i) => ({ id: String(i + 1), event, deliveryId: String(100 + i) }));
}

describe('committed events handed from the processing thread', () => {
  test('read back, they are the events committed, raw items included', () => {
    const committed = committedBatch();
    const back = parseCommitted(committedJson(committed));
    assert.equal(back.length, committed.length);
    back.forEach((c, i) => {
      const sent = committed[i] as CommittedEvent;
      assert.deepEqual(
        { ...c, event: { ...c.event, raw: c.event.raw } },
        JSON.parse(JSON.stringify({ ...sent, event: { ...sent.event, raw: sent.event.raw ?? null } })),
        `event ${c.id} (${sent.event.name})`,
      );
    });
  });

  test("the stream's frame of each is the frame of the event committed, and leaves its raw unparsed", () => {
    const committed = committedBatch();
    const back = parseCommitted(committedJson(committed));
    back.forEach((c, i) => {
      const sent = committed[i] as CommittedEvent;
      const read = eventAsRead(c.event);
      const frame = sseFrame({ id: c.id, event: read });
      assert.equal(frame, sseFrame({ id: sent.id, event: eventAsRead(sent.event) }), `event ${c.id}`);
      assert.notEqual(rawTextOf(read), undefined, `event ${c.id}: its raw was parsed`);
    });
  });
});
