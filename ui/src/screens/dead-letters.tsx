import { useState } from 'preact/hooks';
import { api, qs, type Page, type WharfEvent } from '../api';
import { Json, Pager, Problem, Show, useApi, useCursor, when } from '../ui';

interface DeadLetter {
  id: string;
  event: { id: string; name: string; key: string };
  target: string;
  state: string;
  attempts: number;
  last_error: string | null;
  dead_at: string | null;
}

function Inspect({ eventId }: { eventId: string }) {
  const [e] = useApi<WharfEvent>(`/api/v1/events/${encodeURIComponent(eventId)}`);
  return <Show value={e}>{(ev) => <Json value={ev} label="Event payload" />}</Show>;
}

/** Dead letters: inspect the event and its error, replay one, or replay every one on the page. */
export function DeadLetters() {
  const [target, setTarget] = useState('');
  const [applied, setApplied] = useState('');
  const paging = useCursor();
  const [tick, setTick] = useState(0);
  const [page] = useApi<Page<DeadLetter>>(
    `/api/v1/dead-letters${qs({ target: applied, cursor: paging.cursor, limit: 50 })}`,
    tick,
  );
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const replay = async (ids: string[]) => {
    setError(null);
    let done = 0;
    try {
      for (const id of ids) {
        await api(`/api/v1/dead-letters/${encodeURIComponent(id)}/replay`, { method: 'POST' });
        done++;
      }
      setMessage(`${done} dead letter${done === 1 ? '' : 's'} queued again.`);
    } catch (err) {
      setMessage(done > 0 ? `${done} queued again before the error below.` : null);
      setError(err as Error);
    }
    setTick((t) => t + 1);
  };
  return (
    <section aria-labelledby="dl-title">
      <h1 id="dl-title">Dead letters</h1>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          paging.reset();
          setApplied(target.trim());
        }}
      >
        <label>
          Target (handler or destination id)
          <input
            name="target"
            value={target}
            onInput={(e) => setTarget((e.target as HTMLInputElement).value)}
          />
        </label>
        <button type="submit">Filter</button>
      </form>
      {message && <p role="status">{message}</p>}
      {error && <Problem error={error} />}
      <Show value={page}>
        {(p) => (
          <>
            <p class="hint">{p.total ?? p.data.length} dead letters</p>
            {p.data.length > 0 && (
              <button type="button" onClick={() => replay(p.data.map((d) => d.id))}>
                Replay all {p.data.length} shown
              </button>
            )}
            <ul class="cards" data-testid="dead-letters">
              {p.data.length === 0 && <li>No dead letter.</li>}
              {p.data.map((d) => (
                <li key={d.id} class="card failed">
                  <h2>
                    {d.event.name} → {d.target}
                  </h2>
                  <p>
                    {d.attempts} attempts · dead since {when(d.dead_at)} · state {d.state}
                  </p>
                  <p class="error-text">{d.last_error ?? 'no error recorded'}</p>
                  <Inspect eventId={d.event.id} />
                  <button
                    type="button"
                    onClick={() => replay([d.id])}
                    aria-label={`Replay dead letter ${d.id}`}
                  >
                    Replay
                  </button>
                </li>
              ))}
            </ul>
            <Pager nextCursor={p.next_cursor} paging={paging} />
          </>
        )}
      </Show>
    </section>
  );
}
