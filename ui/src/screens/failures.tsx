import { useState } from 'preact/hooks';
import { qs, type Page, type WharfEvent } from '../api';
import { Chart } from '../chart';
import { Show, useApi } from '../ui';
import { actionText } from './message';
import type { Stats } from './overview';
import { EventTable } from './search';

const RANGES = [
  ['1 hour', 3600, 60],
  ['24 hours', 86_400, 900],
  ['7 days', 604_800, 3600],
] as const;

/** Failed statuses by error code over time, each code with its category, action and meaning. */
export function Failures() {
  const [range, setRange] = useState(1);
  const [, seconds, bucket] = RANGES[range]!;
  const since = new Date(Date.now() - seconds * 1000).toISOString().slice(0, 16) + ':00Z';
  const [stats] = useApi<Stats>(`/api/v1/stats${qs({ since, bucket_seconds: bucket })}`);
  const [recent] = useApi<Page<WharfEvent>>('/api/v1/events?name=status.failed&limit=20');
  return (
    <section aria-labelledby="failures-title">
      <h1 id="failures-title">Failures</h1>
      <fieldset class="filters">
        <legend>Range</legend>
        {RANGES.map(([label], i) => (
          <label key={label} class="inline">
            <input type="radio" name="range" checked={range === i} onChange={() => setRange(i)} /> {label}
          </label>
        ))}
      </fieldset>
      <Show value={stats}>{(s) => <ByCode stats={s} />}</Show>
      <h2>Latest failed statuses</h2>
      <Show value={recent}>{(p) => <EventTable events={p.data} caption="Newest first" />}</Show>
    </section>
  );
}

function ByCode({ stats }: { stats: Stats }) {
  const codes = new Map<
    string,
    { code: number | null; category: string; action: string; meaning: string; count: number }
  >();
  const times = [...new Set(stats.failures.map((f) => Date.parse(f.at) / 1000))].sort((a, b) => a - b);
  for (const f of stats.failures) {
    const key = String(f.code);
    const c = codes.get(key) ?? { ...f, count: 0 };
    c.count += f.count;
    codes.set(key, c);
  }
  const top = [...codes.values()].sort((a, b) => b.count - a.count);
  const series = top.slice(0, 6);
  const data = [
    times,
    ...series.map((c) =>
      times.map(
        (t) => stats.failures.find((f) => f.code === c.code && Date.parse(f.at) / 1000 === t)?.count ?? 0,
      ),
    ),
  ];
  return (
    <>
      {times.length > 0 && (
        <Chart
          title="Failed by error code"
          series={series.map((c) => String(c.code ?? 'no code'))}
          data={data}
        />
      )}
      <table data-testid="failures-table">
        <caption>Errors of failed messages by code</caption>
        <thead>
          <tr>
            <th scope="col">Code</th>
            <th scope="col" class="num">
              Count
            </th>
            <th scope="col">Category</th>
            <th scope="col">Action</th>
            <th scope="col">Meaning</th>
          </tr>
        </thead>
        <tbody>
          {top.length === 0 && (
            <tr>
              <td colSpan={5}>No failed messages in this range.</td>
            </tr>
          )}
          {top.map((c) => (
            <tr key={String(c.code)}>
              <td>{c.code ?? '—'}</td>
              <td class="num">{c.count}</td>
              <td>{c.category}</td>
              <td title={actionText(c.action)}>{c.action}</td>
              <td>{c.meaning}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
