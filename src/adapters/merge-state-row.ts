/**
 * The rules of state-rules.ts applied in memory: PostgreSQL refuses to update one row twice in one
 * statement, so the rows a batch writes for one key are merged first, as the upsert's ON CONFLICT
 * clause would merge them one by one (the rows SQLite gets applying one change at a time).
 */
import type { Row, TableSpec } from './state-rules.js';

/** Byte order of the UTF-8 text, as SQLite and COLLATE "C" compare. */
function greater(a: string, b: string): boolean {
  return a !== b && Buffer.compare(Buffer.from(a), Buffer.from(b)) > 0;
}

/** Folds `next` into `into` (same key) by the rules, as the upsert's ON CONFLICT clause would. */
export function mergeStateRow(spec: TableSpec, into: Row, next: Row): void {
  for (const c of spec.columns) {
    const n = c.name;
    const a = into[n] ?? null;
    const b = next[n] ?? null;
    const r = c.rule;
    if (r === 'rank') {
      if (typeof b === 'string' && (a === null || greater(b, String(a)))) {
        for (const g of spec.columns)
          if (typeof g.rule === 'object' && g.rule.lww === n) into[g.name] = next[g.name] ?? null;
        into[n] = b;
      }
    } else if (r === 'maxText') {
      if (a === null || (b !== null && greater(String(b), String(a)))) into[n] = b ?? a;
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
    this.keys = spec.columns.filter((c) => c.rule === 'key').map((c) => c.name);
  }

  add(row: Row): void {
    const k = this.keys.map((c) => String(row[c])).join('\u0000');
    const held = this.byKey.get(k);
    if (held) mergeStateRow(this.spec, held, row);
    else this.byKey.set(k, { ...row });
  }

  rows(): IterableIterator<Row> {
    return this.byKey.values();
  }
}
