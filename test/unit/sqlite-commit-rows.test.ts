import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  fromTransfer,
  rowsOf,
  toTransfer,
  type EncodedChange,
} from '../../src/adapters/sqlite/commit-rows.js';
import { statusValues } from '../../src/adapters/state-columns.js';
import { prepareDelivery } from '../../src/core/prepare-batch.js';
import type { BatchResult } from '../../src/ports/processing-store.js';
import { fixtureBytes, fixturePaths } from '../helpers/fixtures.js';

/** Statuses compared as their values, the form the writer thread binds. */
const comparable = (changes: readonly EncodedChange[]) =>
  changes.map((c) => (!Array.isArray(c) && c.kind === 'status' ? statusValues(c) : c));

describe('a batch handed to the SQLite writer thread', () => {
  test('arrives with the same column values and state changes as the calling thread commits, for every fixture', () => {
    const processed: Array<BatchResult['processed'][number]> = [];
    fixturePaths().forEach((path, i) => {
      const r = prepareDelivery(String(i + 1), fixtureBytes(path), [{ id: 'all', wants: () => true }]);
      if ('processed' in r) processed.push(r.processed);
    });
    const batch: BatchResult = {
      workerId: 'w',
      now: 1_800_000_000_000,
      processed,
      invalid: [{ deliveryId: '9001', error: 'not JSON' }],
      failed: [],
      maxAttempts: 3,
    };
    const here = rowsOf(batch);
    // What postMessage does to the batch on its way to the writer thread.
    const there = fromTransfer(structuredClone(toTransfer(batch)));
    assert.equal(there.count, here.count);
    assert.ok(here.count > 100, `${here.count} events`);
    const crossed = { conversations: 0, optOuts: 0, inbound: 0 };
    for (let e = 0; e < here.count; e++) {
      assert.deepEqual(there.values(e), here.values(e), `values of event ${e}`);
      assert.deepEqual(there.targets(e), here.targets(e));
      assert.deepEqual(comparable(there.changes(e)), comparable(here.changes(e)), `changes of event ${e}`);
      for (const c of here.changes(e)) {
        if (Array.isArray(c)) continue;
        if (c.kind === 'conversation') crossed.conversations++;
        if (c.kind === 'contact' && c.optOut !== undefined) crossed.optOuts++;
        if (c.kind === 'contact' && c.lastInboundAt !== undefined) crossed.inbound++;
      }
    }
    assert.ok(
      crossed.conversations > 50 && crossed.optOuts > 0 && crossed.inbound > 0,
      JSON.stringify(crossed),
    );
    assert.deepEqual(there.invalid, here.invalid);
    assert.deepEqual(there.deliveries, here.deliveries);
  });
});
