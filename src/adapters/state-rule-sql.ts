/**
 * Both dialects' upserts, generated from the one rule table (state-rules.ts): SQLite's one
 * statement per kind of change (bound per change) and PostgreSQL's one statement per table (every
 * column one array parameter, for all the rows of a batch). A rule's SET expression is the same in
 * both but for how the stored row is named and PostgreSQL's GREATEST; each reads the stored row —
 * both databases evaluate every SET expression before the update — so a value and its rank move
 * together.
 */
import { writeColumns, type Column, type StateWrite, type TableSpec } from './state-rules.js';

export type Dialect = 'sqlite' | 'postgres';

const ARRAY_TYPE = { text: 'text[]', bigint: 'bigint[]', int: 'int[]' } as const;

/** The stored row's columns: PostgreSQL's upsert names the table `t`; SQLite's reads them bare. */
const stored = (dialect: Dialect, name: string): string => (dialect === 'postgres' ? `t.${name}` : name);

/** `column = <expression>` for one rule, or null when the stored value is kept (keys, insert-only). */
export function setClause(dialect: Dialect, column: Column): string | null {
  const n = column.name;
  const r = column.rule;
  const old = stored(dialect, n);
  if (r === 'key' || r === 'first') return null;
  if (r === 'rank' || typeof r === 'object') {
    const rank = r === 'rank' ? n : r.lww;
    return `${n} = CASE WHEN excluded.${rank} > coalesce(${stored(dialect, rank)}, '') THEN excluded.${n} ELSE ${old} END`;
  }
  if (r === 'maxNum')
    // GREATEST skips NULLs; SQLite's max() returns NULL if any argument is, hence the coalesces.
    return dialect === 'postgres'
      ? `${n} = GREATEST(${old}, excluded.${n})`
      : `${n} = max(coalesce(${old}, excluded.${n}), coalesce(excluded.${n}, ${old}))`;
  const op = r === 'maxText' ? '>' : '<';
  return `${n} = CASE WHEN ${old} IS NULL OR excluded.${n} ${op} ${old} THEN coalesce(excluded.${n}, ${old}) ELSE ${old} END`;
}

function onConflict(dialect: Dialect, spec: TableSpec, columns: readonly Column[]): string {
  const keys = spec.columns.filter((c) => c.rule === 'key').map((c) => c.name);
  const sets = columns.map((c) => setClause(dialect, c)).filter((s): s is string => s !== null);
  return `ON CONFLICT (${keys.join(', ')}) ${sets.length ? `DO UPDATE SET ${sets.join(',\n      ')}` : 'DO NOTHING'}`;
}

function literal(value: string | number): string {
  return typeof value === 'number' ? String(value) : `'${value.replaceAll("'", "''")}'`;
}

/**
 * SQLite: one change per run. Parameters are named (`@column`, bound from an object) or, for
 * `positional`, `?` in the write's column order (bound from an array). A default fills a NULL
 * parameter, or the column when the write does not bind it; it is never part of the update.
 */
export function sqliteUpsertSql(write: StateWrite, bind: 'named' | 'positional' = 'named'): string {
  const spec = write.table;
  const columns = writeColumns(write);
  const defaults = Object.entries(write.defaults ?? {});
  const unbound = defaults.filter(([name]) => !columns.some((c) => c.name === name));
  const values = columns.map((c) => {
    const param = bind === 'named' ? `@${c.name}` : '?';
    const fallback = write.defaults?.[c.name];
    return fallback === undefined ? param : `coalesce(${param}, ${literal(fallback)})`;
  });
  return `INSERT INTO ${spec.table} (${[...unbound.map(([name]) => name), ...columns.map((c) => c.name)].join(', ')})
    VALUES (${[...unbound.map(([, value]) => literal(value)), ...values].join(', ')})
    ${onConflict('sqlite', spec, columns)}`;
}

/** PostgreSQL: every row of a batch for one table in one statement, each column one array. */
export function postgresUpsertSql(spec: TableSpec): string {
  const names = spec.columns.map((c) => c.name);
  const arrays = spec.columns.map((c, i) => `$${i + 1}::${ARRAY_TYPE[c.type]}`);
  // unnest emits the arrays in order and INSERT … SELECT inserts in that order: rows sorted by
  // key in JS lock in key order in every worker.
  return `INSERT INTO ${spec.table} AS t (${names.join(', ')})
    SELECT * FROM unnest(${arrays.join(', ')})
    ${onConflict('postgres', spec, spec.columns)}`;
}
