/**
 * The rules of state-rules.ts applied in memory: PostgreSQL refuses to update one row twice in one
 * statement, so the rows a batch writes for one key are merged first, as the upsert's ON CONFLICT
 * clause would merge them one by one (the rows SQLite gets applying one change at a time).
 */
import type { Row, TableSpec } from './state-rules.js';

/**
 * Byte order of the UTF-8 text, as SQLite and COLLATE "C" compare. UTF-16 code units order the
 * same way as UTF-8 bytes except where a surrogate (a character above U+FFFF) meets a unit from
 * U+E000 up; only then are the strings encoded and compared as bytes (ranks are ASCII in practice,
 * and encoding two strings per comparison was most of a batch's merge time).
 */
export function greaterBytewise(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x < 0xd800 || y < 0xd800) return x > y;
    return Buffer.compare(Buffer.from(a), Buffer.from(b)) > 0;
  }
  return a.length > b.length;
}

/** Per table: each rank column's position and the columns that move with it. */
interface Plan {
  readonly columns: ReadonlyArray<{
    readonly name: string;
    readonly rule: TableSpec['columns'][number]['rule'];
  }>;
  readonly moves: ReadonlyMap<string, readonly string[]>;
  readonly keys: readonly string[];
}
const plans = new WeakMap<TableSpec, Plan>();

function planOf(spec: TableSpec): Plan {
  let plan = plans.get(spec);
  if (plan === undefined) {
    const moves = new Map<string, string[]>();
    for (const c of spec.columns)
      if (typeof c.rule === 'object') moves.set(c.rule.lww, [...(moves.get(c.rule.lww) ?? []), c.name]);
    plan = {
      columns: spec.columns,
      moves,
      keys: spec.columns.filter((c) => c.rule === 'key').map((c) => c.name),
    };
    plans.set(spec, plan);
  }
  return plan;
}

/** Folds `next` into `into` (same key) by the rules, as the upsert's ON CONFLICT clause would. */
export function mergeStateRow(spec: TableSpec, into: Row, next: Row): void {
  const plan = planOf(spec);
  for (const c of plan.columns) {
    const n = c.name;
    const a = into[n] ?? null;
    const b = next[n] ?? null;
    const r = c.rule;
    if (r === 'rank') {
      if (typeof b === 'string' && (a === null || greaterBytewise(b, String(a)))) {
        for (const g of plan.moves.get(n) ?? []) into[g] = next[g] ?? null;
        into[n] = b;
      }
    } else if (r === 'maxText') {
      if (a === null || (b !== null && greaterBytewise(String(b), String(a)))) into[n] = b ?? a;
    } else if (r === 'minNum') {
      if (a === null || (b !== null && b < a)) into[n] = b ?? a;
    } else if (r === 'maxNum') {
      if (a === null || (b !== null && b > a)) into[n] = b ?? a;
    }
  }
}

/** Rows for one table folded per key by mergeStateRow, in first-seen order. */
export class RowMerger {
  private readonly byKey = new Map<string, Row>();
  private readonly keys: readonly string[];
  constructor(private readonly spec: TableSpec) {
    this.keys = planOf(spec).keys;
  }

  /** Takes the row over: the first row of a key is kept and later ones are folded into it. */
  add(row: Row): void {
    let k = '';
    for (const c of this.keys) k += `${String(row[c])}\u0000`;
    const held = this.byKey.get(k);
    if (held) mergeStateRow(this.spec, held, row);
    else this.byKey.set(k, row);
  }

  rows(): IterableIterator<Row> {
    return this.byKey.values();
  }
}
