import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { batchWindowEnd } from '../../../../src/core/destinations/batch-window.js';
import { sampleEvent } from '../../../../src/app/sample-event.js';

const T = 1_767_225_600_000;
const at = (occurredAt: number | null) => ({ ...sampleEvent(T), occurredAt });

describe('batchWindowEnd', () => {
  test('a message younger than the window waits until the window after it occurred', () => {
    assert.equal(batchWindowEnd(at(T), 5000, T + 2000), T + 5000);
  });

  test('a message whose window has passed, a window of 0 and a message without a time go now', () => {
    assert.equal(batchWindowEnd(at(T), 5000, T + 5000), null);
    assert.equal(batchWindowEnd(at(T), 0, T), null);
    assert.equal(batchWindowEnd(at(null), 5000, T), null);
  });

  test('a time ahead of our clock never makes the wait longer than one window from now', () => {
    assert.equal(batchWindowEnd(at(T + 60_000), 5000, T), T + 5000);
  });
});
