import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBodies } from '../../src/app/event-bodies.js';
import { eventBody } from '../../src/app/outbound-message.js';
import { sampleEvent } from '../../src/app/sample-event.js';

const event = sampleEvent(1_767_225_600_000);
// The same stored event (id and key) read again, its data changed: only a kept body ignores that.
const first = { id: '41', event };
const again = { id: '41', event: { ...event, data: { changed: true } } as unknown as typeof event };

test('while several destinations make event bodies, an event is serialized once for all of them', () => {
  const bodies = new EventBodies();
  assert.equal(bodies.body(first, true), eventBody(first));
  assert.equal(bodies.body(again, true), eventBody(first));
});

test('with one such destination no body is kept: each is made from the event it is given', () => {
  const bodies = new EventBodies();
  bodies.body(first, true);
  assert.equal(bodies.body(again, false), eventBody(again));
  assert.equal(bodies.body(first, true), eventBody(first), 'nothing kept from before either');
});
