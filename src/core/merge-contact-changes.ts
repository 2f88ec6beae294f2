/**
 * Folds the contact change records of one batch into one record per contact id, with the same
 * commutative rules the store applies row by row (any order of events gives the same state): per field the value with the greatest
 * rank, the latest inbound time, the opt-out with the greatest rank. Applying the merged records
 * gives the same rows as applying every record, in fewer writes: a busy number's status batches
 * name the same few contacts in almost every event (docs/benchmarks.md "Processing").
 */
import type { ContactChange, ContactField } from './state-change.js';

export interface RankedValue<T> {
  readonly value: T;
  readonly rank: string;
}

export interface MergedContactChange {
  readonly id: string;
  readonly fields: Partial<Record<ContactField, RankedValue<string>>>;
  readonly lastInboundAt?: number;
  readonly optOut?: RankedValue<{ readonly value: 'stop' | 'resume'; readonly source: string }>;
}

type Mutable = {
  id: string;
  fields: Partial<Record<ContactField, RankedValue<string>>>;
  lastInboundAt?: number;
  optOut?: MergedContactChange['optOut'];
};

// From U+D800 up, UTF-16 order (JS `>`) can differ from UTF-8 byte order (SQLite's BINARY
// collation, which the store compares ranks with): compare the bytes then.
const NON_BMP_ORDER = /[\uD800-\uFFFF]/;

/** a > b in SQLite's text order. Ties keep the value already held, as `excluded.rank > rank` does. */
export function rankGreater(a: string, b: string): boolean {
  if (NON_BMP_ORDER.test(a) || NON_BMP_ORDER.test(b))
    return Buffer.compare(Buffer.from(a), Buffer.from(b)) > 0;
  return a > b;
}

export function mergeContactChanges(changes: readonly ContactChange[]): MergedContactChange[] {
  const byId = new Map<string, Mutable>();
  for (const c of changes) {
    let m = byId.get(c.id);
    if (m === undefined) {
      m = { id: c.id, fields: {} };
      byId.set(c.id, m);
    }
    for (const [field, value] of Object.entries(c.fields) as Array<[ContactField, string | undefined]>) {
      if (value === undefined) continue;
      const held = m.fields[field];
      if (held === undefined || rankGreater(c.rank, held.rank)) m.fields[field] = { value, rank: c.rank };
    }
    if (c.lastInboundAt !== undefined && (m.lastInboundAt === undefined || c.lastInboundAt > m.lastInboundAt))
      m.lastInboundAt = c.lastInboundAt;
    if (c.optOut !== undefined && (m.optOut === undefined || rankGreater(c.rank, m.optOut.rank)))
      m.optOut = { value: c.optOut, rank: c.rank };
  }
  return [...byId.values()];
}
