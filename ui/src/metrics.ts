/**
 * Reads Wharf's /metrics (Prometheus text) for the overview's live figures: counters become rates
 * and histograms become p99s over the interval between two scrapes.
 */
export type Samples = Map<string, number>;

export function parseMetrics(text: string): Samples {
  const out: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    const value = Number(line.slice(space + 1));
    if (!Number.isNaN(value)) out.set(line.slice(0, space), value);
  }
  return out;
}

/** Sum of every series of `name` whose labels contain all of `labels` (e.g. `outcome="stored"`). */
export function sum(s: Samples, name: string, labels: string[] = []): number {
  let total = 0;
  for (const [key, v] of s) {
    if (key !== name && !key.startsWith(`${name}{`)) continue;
    if (labels.every((l) => key.includes(l))) total += v;
  }
  return total;
}

/** Quantile `q` of a histogram's observations between two scrapes (upper bound of its bucket), or null; with `label` (e.g. `status="200"`) only the series carrying it. */
export function quantileBetween(
  prev: Samples,
  next: Samples,
  name: string,
  q: number,
  label?: string,
): number | null {
  const buckets: Array<[number, number]> = [];
  for (const [key, v] of next) {
    if (!key.startsWith(`${name}_bucket{`)) continue;
    if (label !== undefined && !key.includes(label)) continue;
    const le = /le="([^"]+)"/.exec(key)?.[1];
    if (le === undefined) continue;
    const bound = le === '+Inf' ? Infinity : Number(le);
    const before = [...prev].find(([k]) => k === key)?.[1] ?? 0;
    const i = buckets.findIndex(([b]) => b === bound);
    if (i >= 0) buckets[i]![1] += v - before;
    else buckets.push([bound, v - before]);
  }
  buckets.sort((a, b) => a[0] - b[0]);
  const total = buckets.at(-1)?.[1] ?? 0;
  if (total <= 0) return null;
  const wanted = q * total;
  for (const [bound, count] of buckets) if (count >= wanted) return bound === Infinity ? null : bound;
  return null;
}
