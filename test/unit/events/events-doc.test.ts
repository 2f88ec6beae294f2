import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { renderEventsDoc } from '../../../src/events/events-doc.js';
import { EVENT_NAMES } from '../../../src/events/event-names.js';

test('docs/events.md is up to date with the event catalog (run `npm run docs:events`)', () => {
  const onDisk = readFileSync(new URL('../../../docs/events.md', import.meta.url), 'utf8');
  assert.equal(onDisk, renderEventsDoc());
});

test('docs/events.md lists every event name once', () => {
  const doc = renderEventsDoc();
  for (const name of EVENT_NAMES) {
    assert.equal(doc.split(`| \`${name}\` |`).length - 1, 1, name);
  }
});
