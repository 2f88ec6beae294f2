/**
 * The one rule table (src/adapters/state-rules.ts) means the same state in every place it is
 * applied: SQLite's generated upsert one write at a time, PostgreSQL's generated upsert one write
 * at a time, and PostgreSQL's batch path (rows merged in memory by mergeStateRow, then one upsert).
 * A probe table holds one column of each rule; random writes (NULLs included) must leave the same
 * row in all three.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import pg from 'pg';
import fc from 'fast-check';
import { postgresSuite } from '../helpers/postgres-test-db.js';
import type { Row, StateWrite, TableSpec } from '../../src/adapters/state-rules.js';
import { postgresUpsertSql, sqliteUpsertSql } from '../../src/adapters/state-rule-sql.js';
import { mergeStateRow } from '../../src/adapters/merge-state-row.js';

const PROBE: TableSpec = {
  table: 'rule_probe',
  columns: [
    { name: 'k', type: 'text', rule: 'key' },
    { name: 'v', type: 'text', rule: { lww: 'r' } },
    { name: 'n', type: 'bigint', rule: { lww: 'r' } },
    { name: 'r', type: 'text', rule: 'rank' },
    { name: 'm', type: 'text', rule: 'maxText' },
    { name: 'lo', type: 'bigint', rule: 'minNum' },
    { name: 'hi', type: 'int', rule: 'maxNum' },
    { name: 'f', type: 'text', rule: 'first' },
  ],
};
const WRITE: StateWrite = { table: PROBE };

const SQLITE_DDL = `CREATE TABLE rule_probe (k TEXT PRIMARY KEY, v TEXT, n INTEGER, r TEXT, m TEXT, lo INTEGER, hi INTEGER, f TEXT)`;
const PG_DDL = `CREATE TABLE rule_probe (k text PRIMARY KEY, v text, n bigint, r text COLLATE "C", m text COLLATE "C", lo bigint, hi int, f text)`;

const text = fc.option(fc.constantFrom('a', 'b', 'ab', 'é', 'Z', '0'), { nil: null });
const num = fc.option(fc.integer({ min: -5, max: 5 }), { nil: null });
// Ranks are unique per write, as real ranks are (they end with the event key): equal ranks would
// make the first writer win, which no order-independent rule can promise.
const writes = fc
  .array(fc.record({ v: text, n: num, hasRank: fc.boolean(), m: text, lo: num, hi: num, f: text }), {
    minLength: 1,
    maxLength: 6,
  })
  .chain((ws) =>
    fc
      .uniqueArray(fc.stringMatching(/^[0-9]{2}[a-c]$/), { minLength: ws.length, maxLength: ws.length })
      .map((ranks) =>
        ws.map(({ hasRank, ...w }, i): Row => ({ k: 'one', ...w, r: hasRank ? ranks[i]! : null })),
      ),
  );

/** The row with numbers as numbers (pg returns bigint as a string). */
function normalize(row: Record<string, unknown> | undefined): Row {
  return Object.fromEntries(
    PROBE.columns.map(({ name, type }) => {
      const value = row?.[name] ?? null;
      return [name, value === null ? null : type === 'text' ? String(value) : Number(value)];
    }),
  );
}

function viaSqlite(rows: readonly Row[]): Row {
  const db = new Database(':memory:');
  try {
    db.exec(SQLITE_DDL);
    const upsert = db.prepare(sqliteUpsertSql(WRITE));
    for (const row of rows) upsert.run(row);
    return normalize(db.prepare('SELECT * FROM rule_probe').get() as Record<string, unknown>);
  } finally {
    db.close();
  }
}

async function viaPostgres(client: pg.PoolClient, rows: readonly Row[], merged: boolean): Promise<Row> {
  await client.query('TRUNCATE rule_probe');
  const sql = postgresUpsertSql(PROBE);
  const params = (batch: readonly Row[]) => PROBE.columns.map((c) => batch.map((r) => r[c.name] ?? null));
  if (merged) {
    const [first, ...rest] = rows;
    const into = { ...first };
    for (const row of rest) mergeStateRow(PROBE, into, row);
    await client.query(sql, params([into]));
  } else for (const row of rows) await client.query(sql, params([row]));
  const { rows: stored } = await client.query('SELECT * FROM rule_probe');
  return normalize(stored[0]);
}

await postgresSuite('state rules in both dialects', (db) => {
  test(
    'random writes leave the same row through SQLite, PostgreSQL one by one and PostgreSQL merged in a batch',
    { timeout: 120_000 },
    async () => {
      const pool = new pg.Pool({ connectionString: db.serverUrl, max: 1 });
      const client = await pool.connect();
      const schema = new URL(await db.freshSchemaUrl()).searchParams.get('schema');
      try {
        await client.query(`SET search_path TO ${schema}`);
        await client.query(PG_DDL);
        await fc.assert(
          fc.asyncProperty(writes, async (rows) => {
            const expected = viaSqlite(rows);
            assert.deepEqual(await viaPostgres(client, rows, false), expected);
            assert.deepEqual(await viaPostgres(client, rows, true), expected);
          }),
          { numRuns: 60, seed: 11 },
        );
      } finally {
        client.release();
        await pool.end();
      }
    },
  );
});
