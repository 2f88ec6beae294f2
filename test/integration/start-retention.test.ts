/**
 * The background prune (src/app/start-retention.ts) on a real SQLite file: batches until done,
 * the metric per table, a failed batch retried, and stop().
 */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createOutboxDb, type OutboxDb } from '../helpers/outbox-db.js';
import { waitFor } from '../helpers/wait-for.js';
import { SqliteRetention } from '../../src/adapters/sqlite/retention.js';
import { startRetention, type StartRetentionArgs } from '../../src/app/start-retention.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { createLogger } from '../../src/observability/create-logger.js';
import { openDatabase } from '../../src/adapters/sqlite/open-database.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const DAY = 86_400_000;
const config = { retentionDays: 30, dedupeWindowHours: 168 };

describe('startRetention', () => {
  let x: OutboxDb;
  let logs: Array<Record<string, unknown>>;
  beforeEach(() => {
    x = createOutboxDb(NOW);
    logs = [];
  });
  afterEach(() => x.dispose());

  const logger = () =>
    createLogger(
      'info',
      new Writable({
        write(chunk: Buffer, _enc, done) {
          logs.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
          done();
        },
      }),
    );
  const count = (table: string) => x.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  /** `n` old deliveries, each with one event handed off, and one recent delivery. */
  function seed(n: number): void {
    for (let i = 0; i < n; i++)
      x.addRow(x.addEvent({ key: `k${i}`, deliveryId: x.addDelivery(NOW - 40 * DAY + i) }), 'crm', {
        state: 'delivered',
      });
    x.addDelivery(NOW, 'pending');
  }
  const start = (over: Partial<StartRetentionArgs> = {}) => {
    const metrics = createMetrics();
    const runtime = startRetention({
      retention: new SqliteRetention(x.path),
      config,
      logger: logger(),
      metrics,
      now: () => NOW,
      timing: { firstRunDelayMs: 0, intervalMs: 3_600_000, pauseMs: 0, retryMs: 10 },
      batchSize: 2,
      ...over,
    });
    return { runtime, metrics };
  };

  test('removes old rows in small batches and counts them in wharf_pruned_rows_total by table', async () => {
    seed(5);
    const { runtime, metrics } = start();
    try {
      await waitFor('the run to remove every old delivery', () => count('deliveries') === 1);
      await waitFor('the run to end', () => logs.some((l) => l['msg'] === 'retention: pruned'));
      const text = await metrics.registry.getSingleMetricAsString('wharf_pruned_rows_total');
      for (const table of ['deliveries', 'events', 'outbox'])
        assert.match(text, new RegExp(`wharf_pruned_rows_total\\{table="${table}"\\} 5$`, 'm'));
      const done = logs.find((l) => l['msg'] === 'retention: pruned');
      assert.deepEqual(done?.['pruned'], { deliveries: 5, events: 5, outbox: 5 });
    } finally {
      await runtime.stop();
    }
  });

  test('a batch that finds the database busy is logged, and the run is tried again', async () => {
    seed(3);
    const blocker = openDatabase(x.path);
    blocker.prepare('BEGIN IMMEDIATE').run();
    const { runtime } = start({ retention: new SqliteRetention(x.path, { busyTimeoutMs: 1 }) });
    try {
      await waitFor('the failure to be logged', () =>
        logs.some((l) => /prune batch failed/.test(String(l['msg']))),
      );
      assert.match(String(logs.find((l) => /failed/.test(String(l['msg'])))?.['err']), /SQLITE_BUSY/);
      assert.equal(count('deliveries'), 4, 'nothing removed while busy');
      blocker.prepare('COMMIT').run();
      await waitFor('the retried run to remove the old deliveries', () => count('deliveries') === 1);
    } finally {
      if (blocker.inTransaction) blocker.prepare('ROLLBACK').run();
      blocker.close();
      await runtime.stop();
    }
  });

  test('stop() stops before the next batch and closes the port', async () => {
    seed(3);
    const retention = new SqliteRetention(x.path);
    const { runtime } = start({ retention, timing: { firstRunDelayMs: 3_600_000 } });
    await runtime.stop();
    await assert.rejects(
      retention.prune({ olderThan: NOW, protectAfter: NOW, batchSize: 1, dryRun: true }),
      /not open/,
    );
    assert.equal(count('deliveries'), 4);
  });
});
