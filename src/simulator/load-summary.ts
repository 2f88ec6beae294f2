import type { SendResult } from './send-delivery.js';

export interface LoadSummary {
  readonly sent: number;
  /** Answered with exactly 200. */
  readonly ok: number;
  /** Every answer by HTTP status code, 200 included. */
  readonly byStatus: Readonly<Record<string, number>>;
  /** Requests with no answer, by reason (`timeout`, `ECONNREFUSED`, …). */
  readonly errors: Readonly<Record<string, number>>;
  /** Latency percentiles over answered requests, ms (null when nothing was answered). */
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
  readonly elapsedMs: number;
  /** Requests sent per second over the elapsed time. */
  readonly achievedRate: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? null;
}

/** Pure: folds per-request results into the load summary. */
export function summarizeLoad(results: readonly SendResult[], elapsedMs: number): LoadSummary {
  const byStatus: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const latencies: number[] = [];
  for (const r of results) {
    if (r.status === null) {
      const key = r.error ?? 'no answer';
      errors[key] = (errors[key] ?? 0) + 1;
      continue;
    }
    byStatus[String(r.status)] = (byStatus[String(r.status)] ?? 0) + 1;
    latencies.push(r.latencyMs);
  }
  latencies.sort((a, b) => a - b);
  const round = (v: number | null): number | null => (v === null ? null : Math.round(v * 100) / 100);
  return {
    sent: results.length,
    ok: byStatus['200'] ?? 0,
    byStatus,
    errors,
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    maxMs: round(latencies[latencies.length - 1] ?? null),
    elapsedMs: Math.round(elapsedMs),
    achievedRate: elapsedMs > 0 ? Math.round((results.length / elapsedMs) * 1000 * 10) / 10 : 0,
  };
}

/** Pure: the human lines printed by `wharf simulate --rate …`. */
export function formatLoadSummary(s: LoadSummary, endpoint: string, connections: number): string[] {
  const answers = Object.entries(s.byStatus)
    .map(([code, n]) => `HTTP ${code}: ${n}`)
    .concat(Object.entries(s.errors).map(([why, n]) => `${why}: ${n}`))
    .join(', ');
  const ms = (v: number | null): string => (v === null ? 'n/a' : `${v} ms`);
  return [
    `Load against ${endpoint} over ${connections} keep-alive connection${connections === 1 ? '' : 's'}`,
    `  sent ${s.sent} in ${(s.elapsedMs / 1000).toFixed(2)} s (${s.achievedRate}/s)`,
    `  answers: ${answers === '' ? 'none' : answers}`,
    `  latency: p50 ${ms(s.p50Ms)}, p99 ${ms(s.p99Ms)}, max ${ms(s.maxMs)}`,
    `${s.ok === s.sent ? 'OK' : 'FAILED'}: ${s.ok}/${s.sent} answered with 200`,
  ];
}
