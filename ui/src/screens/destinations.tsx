import { useState } from 'preact/hooks';
import { api, qs, type Page } from '../api';
import { Field, Pager, Problem, Show, link, useApi, useCursor, when } from '../ui';

interface DestinationJson {
  id: string;
  name: string;
  kind: string;
  enabled: boolean;
  filter: { events?: string[] };
  format: string;
  url?: string;
  created_at: string;
  disabled_reason: string | null;
  [setting: string]: unknown;
}
interface TestResult {
  ok: boolean;
  status: number | null;
  duration_ms: number;
  response_excerpt: string | null;
  error: string | null;
}
interface Attempt {
  id: string;
  event_id: string;
  event_name: string;
  attempt: number;
  ok: boolean;
  status: number | null;
  duration_ms: number | null;
  error: string | null;
  at: string;
}

const KINDS = ['http', 'slack', 'email', 'sms', 'nats', 'rabbitmq', 'redis', 'mysql', 'postgres'];

export function Destinations() {
  const [list, reload] = useApi<{ data: DestinationJson[] }>('/api/v1/destinations');
  return (
    <section aria-labelledby="dest-title">
      <h1 id="dest-title">Destinations</h1>
      <Show value={list} what="Destinations">
        {({ data }) => (
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Events</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {data.length === 0 && (
                <tr>
                  <td colSpan={4}>No destination yet.</td>
                </tr>
              )}
              {data.map((d) => (
                <tr key={d.id}>
                  <td>
                    <a href={link('destinations', d.id)}>{d.name}</a>
                  </td>
                  <td>{d.kind}</td>
                  <td>{d.filter.events?.join(', ') ?? 'all'}</td>
                  <td>
                    {d.enabled ? 'enabled' : `disabled${d.disabled_reason ? `: ${d.disabled_reason}` : ''}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Show>
      <Create onCreated={reload} />
    </section>
  );
}

function Create({ onCreated }: { onCreated: () => void }) {
  const [form, setForm] = useState({
    name: '',
    kind: 'http',
    url: '',
    events: '',
    format: 'event',
    settings: '',
  });
  const [error, setError] = useState<Error | null>(null);
  const [created, setCreated] = useState<{ id: string; secret?: string } | null>(null);
  const set = (k: keyof typeof form) => (e: Event) =>
    setForm({ ...form, [k]: (e.target as HTMLInputElement).value });
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setCreated(null);
    let extra: Record<string, unknown> = {};
    if (form.settings.trim() !== '') {
      try {
        extra = JSON.parse(form.settings) as Record<string, unknown>;
      } catch {
        setError(new Error('Other settings must be a JSON object, e.g. {"headers": {"x-team": "ops"}}'));
        return;
      }
    }
    const events = form.events
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    try {
      const d = await api<{ id: string; secret?: string }>('/api/v1/destinations', {
        method: 'POST',
        body: {
          ...extra,
          name: form.name,
          kind: form.kind,
          format: form.format,
          ...(form.url ? { url: form.url } : {}),
          ...(events.length > 0 ? { filter: { events } } : {}),
        },
      });
      setCreated(d);
      onCreated();
    } catch (err) {
      setError(err as Error);
    }
  };
  return (
    <form class="editor" onSubmit={submit} aria-labelledby="create-title">
      <h2 id="create-title">New destination</h2>
      <label>
        Name
        <input name="name" required value={form.name} onInput={set('name')} />
      </label>
      <label>
        Kind
        <select name="kind" value={form.kind} onChange={set('kind')}>
          {KINDS.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
      </label>
      <label>
        URL
        <input
          name="url"
          value={form.url}
          onInput={set('url')}
          placeholder="https://example.com/hooks/whatsapp"
        />
      </label>
      <label>
        Events (comma-separated names or prefixes; empty for all)
        <input
          name="events"
          value={form.events}
          onInput={set('events')}
          placeholder="message., status.failed"
        />
      </label>
      <label>
        Format
        <select name="format" value={form.format} onChange={set('format')}>
          <option>event</option>
          <option>meta</option>
          <option>conversation</option>
        </select>
      </label>
      <label>
        Other settings (JSON, optional)
        <textarea
          name="settings"
          value={form.settings}
          onInput={set('settings')}
          placeholder='{"subject": "wharf.{name}"}'
        />
      </label>
      <button type="submit">Create</button>
      {error && <Problem error={error} />}
      {created && (
        <p role="status" data-testid="created">
          Created. <a href={link('destinations', created.id)}>Open it</a>.
          {created.secret && (
            <>
              {' '}
              Signing secret (shown once): <code>{created.secret}</code>
            </>
          )}
        </p>
      )}
    </form>
  );
}

export function Destination({ id }: { id: string }) {
  const base = `/api/v1/destinations/${encodeURIComponent(id)}`;
  const [d, reload] = useApi<DestinationJson>(base);
  const [test, setTest] = useState<TestResult | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const [attemptsTick, setAttemptsTick] = useState(0);
  const act = async (fn: () => Promise<void>) => {
    setError(null);
    setBusy(true);
    try {
      await fn();
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="destination-title">
      <Show value={d} what="This destination">
        {(dest) => (
          <>
            <h1 id="destination-title">{dest.name}</h1>
            <dl class="card">
              <Field label="Kind">{dest.kind}</Field>
              <Field label="State">
                {dest.enabled
                  ? 'enabled'
                  : `disabled${dest.disabled_reason ? `: ${dest.disabled_reason}` : ''}`}
              </Field>
              <Field label="Events">{dest.filter.events?.join(', ') ?? 'all'}</Field>
              <Field label="Format">{dest.format}</Field>
              {dest.url && <Field label="URL">{dest.url}</Field>}
              <Field label="Created">{when(dest.created_at)}</Field>
            </dl>
            <div class="actions">
              <button
                type="button"
                disabled={busy}
                onClick={() =>
                  act(async () => {
                    setTest(await api<TestResult>(`${base}/test`, { method: 'POST' }));
                    setAttemptsTick((t) => t + 1);
                  })
                }
              >
                Send a test event
              </button>
              <button
                type="button"
                disabled={busy}
                onClick={() =>
                  act(async () => {
                    await api(base, { method: 'PATCH', body: { enabled: !dest.enabled } });
                    reload();
                  })
                }
              >
                {dest.enabled ? 'Disable' : 'Enable'}
              </button>
              <button
                type="button"
                disabled={busy}
                onClick={() =>
                  confirm(`Delete ${dest.name}?`) &&
                  act(async () => {
                    await api(base, { method: 'DELETE' });
                    location.hash = '#/destinations';
                  })
                }
              >
                Delete
              </button>
            </div>
            {error && <Problem error={error} />}
            {test && (
              <div class={`card ${test.ok ? 'ok' : 'failed'}`} role="status" data-testid="test-result">
                <strong>{test.ok ? 'The receiver accepted the test event' : 'The test event failed'}</strong>
                <p>
                  Answer: {test.status ?? 'none'} in {test.duration_ms} ms
                  {test.error ? ` — ${test.error}` : ''}
                </p>
                {test.response_excerpt && <pre class="json">{test.response_excerpt}</pre>}
              </div>
            )}
            <Replay base={base} />
            <Attempts base={base} tick={attemptsTick} />
          </>
        )}
      </Show>
    </section>
  );
}

function Replay({ base }: { base: string }) {
  const hourAgo = new Date(Date.now() - 3_600_000).toISOString().slice(0, 16);
  const [from, setFrom] = useState(hourAgo);
  const [to, setTo] = useState(new Date(Date.now() + 60_000).toISOString().slice(0, 16));
  const [failedOnly, setFailedOnly] = useState(true);
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const r = await api<{ queued: unknown }>(`${base}/replay`, {
        method: 'POST',
        body: { from: `${from}:00Z`, to: `${to}:00Z`, failed_only: failedOnly },
      });
      setResult(`Queued: ${JSON.stringify(r.queued)}`);
    } catch (err) {
      setError(err as Error);
    }
  };
  return (
    <form class="editor" onSubmit={submit} aria-labelledby="replay-title">
      <h2 id="replay-title">Replay</h2>
      <label>
        From (UTC)
        <input
          type="datetime-local"
          name="from"
          value={from}
          onInput={(e) => setFrom((e.target as HTMLInputElement).value)}
        />
      </label>
      <label>
        To (UTC)
        <input
          type="datetime-local"
          name="to"
          value={to}
          onInput={(e) => setTo((e.target as HTMLInputElement).value)}
        />
      </label>
      <label class="inline">
        <input
          type="checkbox"
          checked={failedOnly}
          onChange={(e) => setFailedOnly((e.target as HTMLInputElement).checked)}
        />{' '}
        Only its dead letters
      </label>
      <button type="submit">Replay</button>
      {result && <p role="status">{result}</p>}
      {error && <Problem error={error} />}
    </form>
  );
}

function Attempts({ base, tick }: { base: string; tick: number }) {
  const paging = useCursor();
  const [page] = useApi<Page<Attempt>>(`${base}/attempts${qs({ cursor: paging.cursor, limit: 50 })}`, tick);
  return (
    <>
      <h2>Attempt log</h2>
      <Show value={page}>
        {(p) => (
          <>
            <table>
              <thead>
                <tr>
                  <th scope="col">At</th>
                  <th scope="col">Event</th>
                  <th scope="col" class="num">
                    Attempt
                  </th>
                  <th scope="col">Answer</th>
                  <th scope="col" class="num">
                    ms
                  </th>
                  <th scope="col">Error</th>
                </tr>
              </thead>
              <tbody>
                {p.data.length === 0 && (
                  <tr>
                    <td colSpan={6}>No attempt yet.</td>
                  </tr>
                )}
                {p.data.map((a) => (
                  <tr key={a.id} class={a.ok ? '' : 'failed'}>
                    <td>{when(a.at)}</td>
                    <td>{a.event_name}</td>
                    <td class="num">{a.attempt}</td>
                    <td>{a.status ?? '—'}</td>
                    <td class="num">{a.duration_ms ?? '—'}</td>
                    <td>{a.error ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager nextCursor={p.next_cursor} paging={paging} />
          </>
        )}
      </Show>
    </>
  );
}
