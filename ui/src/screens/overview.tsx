import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Chart } from '../chart';
import { parseMetrics, quantileBetween, sum, type Samples } from '../metrics';
import { Show, useApi } from '../ui';

export interface Stats {
  since: string;
  bucket_seconds: number;
  events: { at: string; name: string; count: number }[];
  failures: {
    at: string;
    code: number | null;
    count: number;
    category: string;
    action: string;
    meaning: string;
  }[];
  pricing: { category: string | null; billable: boolean | null; count: number }[];
}

interface Point {
  t: number;
  ingest: number;
  ack: number | null;
  lag: number | null;
}

const KEEP = 150;
const STORED = ['outcome="stored"'];
const DUPLICATE = ['outcome="duplicate"'];

/** Live figures from /metrics every 2 s: ingest rate, ack p99 and processing lag p99 between scrapes. */
function useLiveMetrics(): { points: Point[]; error: string | null } {
  const [points, setPoints] = useState<Point[]>([]);
  const [error, setError] = useState<string | null>(null);
  const prev = useRef<{ at: number; s: Samples } | null>(null);
  useEffect(() => {
    let stop = false;
    const scrape = async () => {
      try {
        const res = await fetch('/metrics');
        if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
        const s = parseMetrics(await res.text());
        const at = Date.now();
        const before = prev.current;
        prev.current = { at, s };
        setError(null);
        if (before === null || stop) return;
        const seconds = (at - before.at) / 1000;
        const received = (x: Samples) =>
          sum(x, 'wharf_webhook_requests_total', STORED) + sum(x, 'wharf_webhook_requests_total', DUPLICATE);
        const point: Point = {
          t: at / 1000,
          ingest: Math.max(0, (received(s) - received(before.s)) / seconds),
          ack: quantileBetween(before.s, s, 'wharf_ack_latency_seconds', 0.99, 'status="200"'),
          lag: quantileBetween(before.s, s, 'wharf_processing_lag_seconds', 0.99),
        };
        setPoints((p) => [...p.slice(-KEEP + 1), point]);
      } catch (err) {
        setError((err as Error).message);
      }
    };
    void scrape();
    const timer = setInterval(() => void scrape(), 2000);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, []);
  return { points, error };
}

const ms = (s: number | null | undefined) =>
  s === null || s === undefined ? '—' : `≤ ${(s * 1000).toFixed(s < 0.01 ? 1 : 0)} ms`;

export function Overview() {
  const { points, error } = useLiveMetrics();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setTick((x) => x + 1), 10_000);
    return () => clearInterval(t);
  }, []);
  const [stats] = useApi<Stats>('/api/v1/stats?bucket_seconds=60', tick);
  const last = points.at(-1);
  const live = useMemo(() => [points.map((p) => p.t), points.map((p) => p.ingest)], [points]);
  const latency = useMemo(
    () => [
      points.map((p) => p.t),
      points.map((p) => (p.ack === null ? null : p.ack * 1000)),
      points.map((p) => (p.lag === null ? null : p.lag * 1000)),
    ],
    [points],
  );
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">Overview</h1>
      {error && (
        <p class="error" role="alert">
          Live figures unavailable: {error}
        </p>
      )}
      <dl class="kpis" aria-live="polite">
        <div>
          <dt>Ingest rate</dt>
          <dd data-testid="ingest-rate">{last ? `${last.ingest.toFixed(1)} /s` : '—'}</dd>
        </div>
        <div>
          <dt>Ack p99 (last 2 s)</dt>
          <dd>{ms(last?.ack)}</dd>
        </div>
        <div>
          <dt>Processing lag p99 (last 2 s)</dt>
          <dd>{ms(last?.lag)}</dd>
        </div>
        <Show value={stats}>{(s) => <FailureRate stats={s} />}</Show>
      </dl>
      <div class="charts">
        {points.length < 2 ? (
          <p class="hint" aria-busy="true">
            Collecting live figures (one sample every 2 s)…
          </p>
        ) : (
          <>
            <Chart title="Deliveries per second" series={['stored']} data={live} />
            <Chart title="Latency (ms, p99)" series={['ack', 'processing lag']} data={latency} />
          </>
        )}
      </div>
      <Show value={stats}>{(s) => <StatsPanels stats={s} />}</Show>
    </section>
  );
}

function FailureRate({ stats }: { stats: Stats }) {
  let statuses = 0;
  let failed = 0;
  for (const e of stats.events) {
    if (e.name.startsWith('status.')) statuses += e.count;
    if (e.name === 'status.failed') failed += e.count;
  }
  return (
    <div>
      <dt>Failure rate (last hour)</dt>
      <dd>{statuses === 0 ? '—' : `${((failed / statuses) * 100).toFixed(1)} % of ${statuses} statuses`}</dd>
    </div>
  );
}

function StatsPanels({ stats }: { stats: Stats }) {
  const byName = new Map<string, number>();
  const perBucket = new Map<number, { all: number; failed: number }>();
  for (const e of stats.events) {
    byName.set(e.name, (byName.get(e.name) ?? 0) + e.count);
    const t = Date.parse(e.at) / 1000;
    const b = perBucket.get(t) ?? { all: 0, failed: 0 };
    b.all += e.count;
    if (e.name === 'status.failed') b.failed += e.count;
    perBucket.set(t, b);
  }
  const times = [...perBucket.keys()].sort((a, b) => a - b);
  const data = [times, times.map((t) => perBucket.get(t)!.all), times.map((t) => perBucket.get(t)!.failed)];
  const names = [...byName].sort((a, b) => b[1] - a[1]);
  return (
    <>
      <Chart
        title={`Events per ${stats.bucket_seconds} s (last hour)`}
        series={['events', 'status.failed']}
        data={data}
      />
      <div class="columns">
        <table>
          <caption>Events by name, last hour</caption>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col" class="num">
                Count
              </th>
            </tr>
          </thead>
          <tbody>
            {names.length === 0 && (
              <tr>
                <td colSpan={2}>No events in the last hour.</td>
              </tr>
            )}
            {names.map(([name, count]) => (
              <tr key={name}>
                <td>{name}</td>
                <td class="num">{count}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table>
          <caption>
            Messages by pricing category, last hour (Meta's pricing fields; prices are not in webhooks)
          </caption>
          <thead>
            <tr>
              <th scope="col">Category</th>
              <th scope="col">Billable</th>
              <th scope="col" class="num">
                Messages
              </th>
            </tr>
          </thead>
          <tbody>
            {stats.pricing.length === 0 && (
              <tr>
                <td colSpan={3}>No priced messages in the last hour.</td>
              </tr>
            )}
            {stats.pricing.map((p) => (
              <tr key={`${p.category}-${p.billable}`}>
                <td>{p.category ?? '—'}</td>
                <td>{p.billable === null ? '—' : p.billable ? 'yes' : 'no'}</td>
                <td class="num">{p.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
