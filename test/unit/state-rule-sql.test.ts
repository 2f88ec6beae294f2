/**
 * The commutative state rules exist once (src/adapters/state-rules.ts) and both dialects' upserts
 * come from them: every SET clause of every statement is a rule of the table, and every rule is a
 * SET clause of PostgreSQL's statement and of one of SQLite's. Structure, not text: no snapshot.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  STATE_TABLES,
  STATE_WRITES,
  writeColumns,
  type Column,
  type TableSpec,
} from '../../src/adapters/state-rules.js';
import { postgresUpsertSql, setClause, sqliteUpsertSql } from '../../src/adapters/state-rule-sql.js';

/** The SET clauses of an upsert (the generator joins them with a comma and a newline), or [] for DO NOTHING. */
function setClauses(sql: string): string[] {
  const i = sql.indexOf('DO UPDATE SET ');
  if (i < 0) {
    assert.match(sql, /DO NOTHING$/);
    return [];
  }
  return sql.slice(i + 'DO UPDATE SET '.length).split(/,\n\s*/);
}

/** `ON CONFLICT (a, b)` → ['a', 'b']. */
function conflictTarget(sql: string): string[] {
  return /ON CONFLICT \(([^)]*)\)/.exec(sql)?.[1]?.split(', ') ?? [];
}

const updated = (spec: TableSpec): Column[] =>
  spec.columns.filter((c) => c.rule !== 'key' && c.rule !== 'first');
const keys = (spec: TableSpec): string[] => spec.columns.filter((c) => c.rule === 'key').map((c) => c.name);
const sqliteWrites = Object.entries(STATE_WRITES).map(([name, write]) => ({
  name,
  write,
  sql: sqliteUpsertSql(write, name === 'status' ? 'positional' : 'named'),
}));

describe('commutative state rules, written once', () => {
  for (const [name, spec] of Object.entries(STATE_TABLES)) {
    test(`${name}: PostgreSQL's upsert is the table's rules, one SET clause per rule, on its keys`, () => {
      const sql = postgresUpsertSql(spec);
      assert.deepEqual(
        setClauses(sql),
        updated(spec).map((c) => setClause('postgres', c)),
      );
      assert.deepEqual(conflictTarget(sql), keys(spec));
      assert.ok(
        sql.startsWith(`INSERT INTO ${spec.table} AS t (${spec.columns.map((c) => c.name).join(', ')})`),
      );
    });

    test(`${name}: SQLite's upserts are the same rules, and together they cover every rule of the table`, () => {
      const writes = sqliteWrites.filter((w) => w.write.table === spec);
      assert.ok(writes.length > 0, `no SQLite write for ${name}`);
      const covered = new Set<string>();
      for (const { write, sql } of writes) {
        const bound = writeColumns(write);
        assert.deepEqual(
          setClauses(sql),
          updated({ table: spec.table, columns: bound }).map((c) => setClause('sqlite', c)),
        );
        assert.deepEqual(conflictTarget(sql), keys(spec));
        for (const c of bound) covered.add(c.name);
      }
      assert.deepEqual(
        updated(spec)
          .map((c) => c.name)
          .filter((c) => !covered.has(c)),
        [],
        'a rule only one dialect applies',
      );
    });
  }

  test('each kind of rule means the same in both dialects', () => {
    const lww: Column = { name: 'status', type: 'text', rule: { lww: 'status_rank' } };
    for (const dialect of ['sqlite', 'postgres'] as const) {
      const old = (c: string) => (dialect === 'postgres' ? `t.${c}` : c);
      assert.equal(
        setClause(dialect, lww),
        `status = CASE WHEN excluded.status_rank > coalesce(${old('status_rank')}, '') THEN excluded.status ELSE ${old('status')} END`,
      );
      assert.equal(
        setClause(dialect, { name: 'r', type: 'text', rule: 'rank' }),
        `r = CASE WHEN excluded.r > coalesce(${old('r')}, '') THEN excluded.r ELSE ${old('r')} END`,
      );
      for (const [rule, op] of [
        ['maxText', '>'],
        ['minNum', '<'],
      ] as const)
        assert.equal(
          setClause(dialect, { name: 'x', type: 'bigint', rule }),
          `x = CASE WHEN ${old('x')} IS NULL OR excluded.x ${op} ${old('x')} THEN coalesce(excluded.x, ${old('x')}) ELSE ${old('x')} END`,
        );
      assert.equal(setClause(dialect, { name: 'k', type: 'text', rule: 'key' }), null);
      assert.equal(setClause(dialect, { name: 'f', type: 'text', rule: 'first' }), null);
    }
    // The largest non-null value: PostgreSQL's GREATEST skips NULLs, SQLite's max() needs them coalesced.
    assert.equal(
      setClause('postgres', { name: 'n', type: 'int', rule: 'maxNum' }),
      'n = GREATEST(t.n, excluded.n)',
    );
    assert.equal(
      setClause('sqlite', { name: 'n', type: 'int', rule: 'maxNum' }),
      'n = max(coalesce(n, excluded.n), coalesce(excluded.n, n))',
    );
  });

  test('a status fills direction and status_rank of a new row only: defaults are never part of the update', () => {
    const sql = sqliteUpsertSql(STATE_WRITES.status, 'positional');
    assert.match(sql, /^INSERT INTO messages \(direction, phone_number_id, wamid, status_rank,/);
    assert.match(sql, /VALUES \('outbound', \?, \?, coalesce\(\?, 0\), \?/);
    assert.ok(!setClauses(sql).some((c) => c.startsWith('direction ')));
    assert.equal((sql.match(/\?/g) ?? []).length, STATE_WRITES.status.columns.length);
  });

  test('a write that would move a value without its rank, or lacks a key, is refused when the statements are built', () => {
    const messages = STATE_TABLES.messages;
    assert.throws(
      () => writeColumns({ table: messages, columns: ['phone_number_id', 'wamid', 'type'] }),
      /type and its rank content_rank must be written together/,
    );
    assert.throws(
      () => writeColumns({ table: messages, columns: ['phone_number_id', 'wamid', 'content_rank'] }),
      /must be written together/,
    );
    assert.throws(
      () => writeColumns({ table: messages, columns: ['wamid', 'status_rank'] }),
      /key column phone_number_id/,
    );
    assert.throws(
      () => writeColumns({ table: messages, columns: ['phone_number_id', 'wamid', 'nope'] }),
      /no state column nope/,
    );
  });
});
