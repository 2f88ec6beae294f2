import { useState } from 'preact/hooks';
import { qs, request, type Page } from '../api';
import { Pager, Problem, Show, useApi, useCursor, when } from '../ui';

interface Delivery {
  id: string;
  received_at: string;
  size: number;
  state: string;
  duplicates: number;
  processed_at: string | null;
  error: string | null;
}

const STATES = ['', 'pending', 'processing', 'processed', 'invalid'];

function Body({ id }: { id: string }) {
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const load = async () => {
    try {
      const bytes = await (await request(`/api/v1/deliveries/${encodeURIComponent(id)}/body`)).arrayBuffer();
      const raw = new TextDecoder().decode(bytes);
      let shown = raw;
      try {
        shown = JSON.stringify(JSON.parse(raw), null, 2);
      } catch {
        // not JSON (an invalid delivery): shown as received
      }
      setText(shown);
    } catch (err) {
      setError(err as Error);
    }
  };
  return (
    <details onToggle={(e) => (e.target as HTMLDetailsElement).open && text === null && void load()}>
      <summary>Raw body</summary>
      {error && <Problem error={error} />}
      {text !== null && (
        <pre class="json" tabIndex={0}>
          {text}
        </pre>
      )}
    </details>
  );
}

export function Deliveries() {
  const [state, setState] = useState('');
  const paging = useCursor();
  const [page] = useApi<Page<Delivery>>(
    `/api/v1/deliveries${qs({ state, cursor: paging.cursor, limit: 50 })}`,
  );
  return (
    <section aria-labelledby="deliveries-title">
      <h1 id="deliveries-title">Deliveries</h1>
      <label>
        State{' '}
        <select
          name="state"
          value={state}
          onChange={(e) => {
            paging.reset();
            setState((e.target as HTMLSelectElement).value);
          }}
        >
          {STATES.map((s) => (
            <option key={s} value={s}>
              {s === '' ? 'all' : s}
            </option>
          ))}
        </select>
      </label>
      <Show value={page}>
        {(p) => (
          <>
            <p class="hint">{p.total ?? p.data.length} deliveries</p>
            <table>
              <thead>
                <tr>
                  <th scope="col">Id</th>
                  <th scope="col">Received</th>
                  <th scope="col">State</th>
                  <th scope="col" class="num">
                    Bytes
                  </th>
                  <th scope="col" class="num">
                    Retries seen
                  </th>
                  <th scope="col">Error and body</th>
                </tr>
              </thead>
              <tbody>
                {p.data.map((d) => (
                  <tr key={d.id} class={d.state === 'invalid' ? 'failed' : ''}>
                    <td>{d.id}</td>
                    <td>{when(d.received_at)}</td>
                    <td>{d.state}</td>
                    <td class="num">{d.size}</td>
                    <td class="num">{d.duplicates}</td>
                    <td>
                      {d.error && <p class="error-text">{d.error}</p>}
                      <Body id={d.id} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager nextCursor={p.next_cursor} paging={paging} />
          </>
        )}
      </Show>
    </section>
  );
}
