import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_STREAM_BATCH_MS, streamBatchIntervalMs } from '../../../src/api/stream-batch-interval.js';

test('one client of a filter is read almost on every commit: its lag gains under half a millisecond', () => {
  assert.ok(streamBatchIntervalMs(1) <= 0.5);
  assert.equal(streamBatchIntervalMs(0), 0);
});

test('the wait grows with the clients, so their writes per second stay about the same', () => {
  const writesPerSecond = (clients: number) => (clients * 1000) / streamBatchIntervalMs(clients);
  assert.equal(Math.round(writesPerSecond(10)), Math.round(writesPerSecond(300)));
  assert.ok(writesPerSecond(300) <= 2500, 'a few thousand writes a second, not tens of thousands');
  assert.ok(streamBatchIntervalMs(10) < streamBatchIntervalMs(100));
});

test('500 clients wait the longest, 200 ms (still live to a person), and more clients never wait longer', () => {
  assert.equal(streamBatchIntervalMs(500), MAX_STREAM_BATCH_MS);
  assert.equal(streamBatchIntervalMs(5000), MAX_STREAM_BATCH_MS);
  assert.ok(MAX_STREAM_BATCH_MS <= 250);
});
