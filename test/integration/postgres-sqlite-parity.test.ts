/**
 * Design §2 (one conformance suite, commutative state): the same deliveries must leave the same
 * events, state and outbox rows on PostgreSQL as on SQLite, whatever the order, the batch sizes and
 * the number of workers. The deliveries are every simulator scenario's, so each Meta shape the
 * simulator knows (all message types, statuses out of order, failures, templates, account, opt-outs,
 * BSUID-only users, batches, duplicate retries, unknown fields, a near-3 MB history chunk) is covered.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createHarness } from '../helpers/processing-harness.js';
import { postgresSuite } from '../helpers/postgres-test-db.js';
import { drain } from '../conformance/processing-store.conformance.js';
import { openDatabase, type PostgresDatabase } from '../../src/adapters/postgres/open-database.js';
import { migrate } from '../../src/adapters/postgres/migrate.js';
import { PostgresProcessingStore } from '../../src/adapters/postgres/processing-store.js';
import { SNAPSHOT } from '../helpers/processing-harness.js';
import { SCENARIOS } from '../../src/simulator/scenarios/index.js';
import { createScenarioContext } from '../../src/simulator/scenarios/context.js';
import { serializeLikeMeta } from '../../src/simulator/escape-json.js';

/** Every delivery of every scenario, as the bytes Meta would send; a retried delivery appears once per copy. */
function scenarioBodies(): Buffer[] {
  const out: Buffer[] = [];
  for (const scenario of SCENARIOS) {
    const plan = scenario.build(createScenarioContext({ seed: 7, now: 1767225600, scenario: scenario.name }));
    for (const step of plan.steps) {
      if (step.kind !== 'delivery') continue;
      const bytes = serializeLikeMeta(step.body);
      for (let i = 0; i < (step.times ?? 1); i++) out.push(bytes);
    }
  }
  return out;
}

let seq = 0;
/** Stores each copy as its own delivery (as a retry with other bytes would be), so processing must de-duplicate. */
async function addPostgres(db: PostgresDatabase, body: Buffer): Promise<void> {
  const hash = createHash('sha256').update(body).update(String(++seq)).digest('hex');
  await db.pool.query(
    `INSERT INTO deliveries (received_at, body_hash, body, size, secret_index, request_id)
     VALUES ($1, $2, $3, $4, 0, 'parity')`,
    [1_800_000_000_000 + seq, hash, body, body.byteLength],
  );
}

await postgresSuite('PostgreSQL / SQLite parity', (pg) => {
  test(
    'every simulator scenario leaves identical events, state and outbox rows on PostgreSQL (reversed order, three concurrent workers) and on SQLite (in order, one worker)',
    { timeout: 120_000 },
    async () => {
      const bodies = scenarioBodies();
      const sqlite = createHarness();
      const db = openDatabase(await pg.freshSchemaUrl());
      const store = new PostgresProcessingStore(db);
      try {
        await migrate(db, 0);
        for (const b of bodies) sqlite.add(b);
        await drain(sqlite.store, 4);
        const expected = sqlite.snapshot();

        for (const b of [...bodies].reverse()) await addPostgres(db, b);
        await Promise.all(['w1', 'w2', 'w3'].map((w, i) => drain(store, 3 + i * 4, undefined, 3, w)));
        const actual: Record<string, unknown[]> = {};
        for (const [t, sql] of Object.entries(SNAPSHOT)) actual[t] = (await db.pool.query(sql)).rows;

        for (const table of ['events', 'contacts', 'messages', 'templates', 'phone_numbers', 'account_state'])
          assert.ok((expected[table]?.length ?? 0) > 0, `the scenarios put rows in ${table}`);
        for (const table of Object.keys(SNAPSHOT))
          assert.deepEqual(actual[table], expected[table], `${table} differs between PostgreSQL and SQLite`);
      } finally {
        await store.close();
        await db.pool.end();
        await sqlite.close();
      }
    },
  );
});
