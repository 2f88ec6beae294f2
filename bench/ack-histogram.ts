/**
 * Wharf's wharf_ack_latency_seconds from /metrics text, for bench:overload and bench:forward: the
 * cumulative buckets by status, and what happened between two scrapes (count, quantiles interpolated
 * within their bucket as Prometheus' histogram_quantile does, the highest bucket reached).
 */

/** Cumulative buckets of one status: [upper bound in s, count][] in increasing bounds. */
export type AckBuckets = [number, number][];

/** The cumulative buckets of wharf_ack_latency_seconds by status: status → buckets. */
export function parseAckBuckets(metricsText: string): Map<string, AckBuckets> {
  const byStatus = new Map<string, AckBuckets>();
  for (const m of metricsText.matchAll(/^wharf_ack_latency_seconds_bucket\{([^}]*)\} (\d+)$/gm)) {
    const le = /le="([^"]+)"/.exec(m[1]!)?.[1];
    const status = /status="(\d+)"/.exec(m[1]!)?.[1];
    if (le === undefined || status === undefined) continue;
    const list = byStatus.get(status) ?? [];
    list.push([le === '+Inf' ? Infinity : Number(le), Number(m[2])]);
    byStatus.set(status, list);
  }
  return byStatus;
}

/** What was observed between two scrapes (`before` undefined: since the start). */
export function bucketsBetween(before: AckBuckets | undefined, after: AckBuckets): AckBuckets {
  return after.map(([le, n]) => [le, n - (before?.find(([b]) => b === le)?.[1] ?? 0)]);
}

/** Several windows' buckets as one (the same bounds). */
export function pooled(windows: readonly AckBuckets[]): AckBuckets {
  const first = windows[0];
  if (!first) return [];
  return first.map(([le], i) => [le, windows.reduce((sum, w) => sum + (w[i]?.[1] ?? 0), 0)]);
}

/**
 * Count, quantiles (ms, linear within their bucket) and the highest bucket reached of cumulative
 * buckets; `within(ms)`: how many were answered within a bucket bound.
 */
export function summarize(delta: AckBuckets) {
  const total = delta.at(-1)?.[1] ?? 0;
  const q = (p: number) => {
    const rank = p * total;
    let lower = 0;
    let below = 0;
    for (const [le, cum] of delta) {
      if (cum >= rank && cum > below) {
        if (le === Infinity) return { ms: Infinity, bucket: `> ${lower * 1000} ms` };
        const ms = 1000 * (lower + ((le - lower) * (rank - below)) / (cum - below));
        return { ms, bucket: `${lower * 1000}–${le * 1000} ms` };
      }
      lower = le;
      below = cum;
    }
    return { ms: NaN, bucket: '' };
  };
  const top = delta.findIndex(([, cum]) => cum === total);
  const max =
    top < 0
      ? ''
      : delta[top]![0] === Infinity
        ? `> ${(delta[top - 1]?.[0] ?? 0) * 1000} ms`
        : `≤ ${delta[top]![0] * 1000} ms`;
  const within = (ms: number) => delta.find(([le]) => Math.abs(le * 1000 - ms) < 1e-9)?.[1] ?? NaN;
  return { total, q, p50: q(0.5), p99: q(0.99), max, within };
}

/** An unlabelled histogram's cumulative buckets, sum and count from /metrics text (e.g. wharf_group_commit_seconds). */
export function parseHistogram(
  metricsText: string,
  name: string,
): { buckets: AckBuckets; sum: number; count: number } {
  const buckets: AckBuckets = [];
  for (const m of metricsText.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\d+)$`, 'gm')))
    buckets.push([m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2])]);
  const value = (suffix: string) =>
    Number(new RegExp(`^${name}_${suffix} ([0-9.e+-]+)$`, 'm').exec(metricsText)?.[1] ?? 0);
  return { buckets, sum: value('sum'), count: value('count') };
}

/** A gauge's value from /metrics text (NaN when absent). */
export function gaugeValue(metricsText: string, name: string): number {
  return Number(new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(metricsText)?.[1] ?? NaN);
}
