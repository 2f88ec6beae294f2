/**
 * The dashboard's counts, as SQL both adapters run (SQLite with `?`, PostgreSQL with `$n`): integer
 * division of epoch-ms columns gives each row its bucket (the width is cast to an integer: SQLite
 * binds a JavaScript number as a REAL, which would make the division exact and every row its own bucket), so one grouped scan over the range answers
 * a whole chart. Events use their occurred_at index; failures read message_errors (one row per error
 * of a failed status); pricing reads messages by the time they were sent or first seen.
 */
import type { StatsView } from '../ports/read-store.js';
import type { Row } from './state-views.js';

/** Each statement takes (bucketMs, bucketMs, since) or (since) in this order. */
export const STATS_SQL = {
  events: `SELECT (occurred_at / CAST(? AS BIGINT)) * CAST(? AS BIGINT) AS bucket, name, count(*) AS n FROM events
    WHERE occurred_at >= ? GROUP BY bucket, name ORDER BY bucket, name`,
  failures: `SELECT (at / CAST(? AS BIGINT)) * CAST(? AS BIGINT) AS bucket, code, count(*) AS n FROM message_errors
    WHERE at >= ? GROUP BY bucket, code ORDER BY bucket, code`,
  pricing: `SELECT pricing_category AS category, pricing_billable AS billable, count(*) AS n FROM messages
    WHERE COALESCE(sent_at, occurred_at, delivered_at, read_at) >= ? AND pricing_category IS NOT NULL
    GROUP BY pricing_category, pricing_billable ORDER BY pricing_category, pricing_billable`,
} as const;

/** `?` → `$1`, `$2` … for PostgreSQL (bigint casts, so `at / $1` is integer division). */
export function numbered(sql: string): string {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}::bigint`);
}

const num = (v: unknown): number => Number(v);

export function statsView(events: Row[], failures: Row[], pricing: Row[]): StatsView {
  return {
    events: events.map((r) => ({ bucket: num(r['bucket']), name: String(r['name']), count: num(r['n']) })),
    failures: failures.map((r) => ({
      bucket: num(r['bucket']),
      code: r['code'] === null || r['code'] === undefined ? null : num(r['code']),
      count: num(r['n']),
    })),
    pricing: pricing.map((r) => ({
      category: r['category'] === null ? null : String(r['category']),
      billable: r['billable'] === null || r['billable'] === undefined ? null : num(r['billable']) === 1,
      count: num(r['n']),
    })),
  };
}
