import { Component } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { followStream, type WharfEvent } from '../api';
import { contactOf, summaryOf } from '../../../src/cli/listen/event-line.js';
import { link, timeOnly } from '../ui';

/** Rows kept on screen: enough to read, bounded so 1,000 events/s never grows the page. */
export const MAX_ROWS = 200;
/** Rows are drawn at most this often (throttled rendering), however fast events arrive. */
const FLUSH_MS = 200;

const asJson = (e: WharfEvent) => e as unknown as Record<string, unknown>;

/** One row, drawn once: an event never changes, so a flush only adds the new rows' DOM. */
class Row extends Component<{ e: WharfEvent }> {
  override shouldComponentUpdate(next: { e: WharfEvent }): boolean {
    return next.e !== this.props.e;
  }
  override render() {
    const { e } = this.props;
    const summary = summaryOf(asJson(e));
    return (
      <tr>
        <td>{timeOnly(e.occurred_at)}</td>
        <td>{e.name}</td>
        <td>{contactOf(asJson(e))}</td>
        <td>{e.wamid ? <a href={link('messages', e.wamid)}>{summary || e.wamid}</a> : summary}</td>
      </tr>
    );
  }
}

interface Filters {
  name: string;
  contact: string;
  phone_number_id: string;
}

export function Live() {
  const [draft, setDraft] = useState<Filters>({ name: '', contact: '', phone_number_id: '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const [rows, setRows] = useState<WharfEvent[]>([]);
  const [paused, setPaused] = useState(false);
  const [held, setHeld] = useState(0);
  const [state, setState] = useState('connecting');
  const [total, setTotal] = useState(0);
  const buffer = useRef<WharfEvent[]>([]);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;

  useEffect(() => {
    setRows([]);
    buffer.current = [];
    let arrived = 0;
    const wanted: Record<string, string> = {};
    for (const [k, v] of Object.entries(filters)) if (v.trim() !== '') wanted[k] = v.trim();
    const stop = followStream(
      wanted,
      (events) => {
        const b = buffer.current;
        arrived += events.length;
        for (const e of events) b.push(e);
        // While paused or between draws only the newest MAX_ROWS can ever be shown.
        if (b.length > MAX_ROWS) b.splice(0, b.length - MAX_ROWS);
      },
      (s, detail) => setState(detail ? `${s}: ${detail}` : s),
    );
    const timer = setInterval(() => {
      const b = buffer.current;
      if (b.length === 0) return;
      if (pausedRef.current) {
        setHeld(b.length);
        return;
      }
      const fresh = b.reverse();
      buffer.current = [];
      setHeld(0);
      setTotal(arrived);
      setRows((r) => fresh.concat(r).slice(0, MAX_ROWS));
    }, FLUSH_MS);
    return () => {
      stop();
      clearInterval(timer);
    };
  }, [filters]);

  const apply = (e: Event) => {
    e.preventDefault();
    setFilters({ ...draft });
  };
  const input = (key: keyof Filters, label: string, placeholder: string) => (
    <label>
      {label}
      <input
        name={key}
        value={draft[key]}
        placeholder={placeholder}
        onInput={(e) => setDraft({ ...draft, [key]: (e.target as HTMLInputElement).value })}
      />
    </label>
  );
  return (
    <section aria-labelledby="live-title">
      <h1 id="live-title">Live events</h1>
      <form class="filters" onSubmit={apply} aria-label="Filters">
        {input('name', 'Event name or prefix', 'message. or status.failed')}
        {input('contact', 'Contact', 'phone or BSUID')}
        {input('phone_number_id', 'Phone number id', '')}
        <button type="submit">Apply</button>
        <button type="button" aria-pressed={paused} onClick={() => setPaused(!paused)}>
          {paused ? `Resume${held > 0 ? ` (${held} waiting)` : ''}` : 'Pause'}
        </button>
      </form>
      <p class="hint" role="status" aria-live="polite">
        Stream {state}. {total} events received; the newest {MAX_ROWS} are shown.
      </p>
      <div class="scroll">
        <table class="live" data-testid="live-table">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Event</th>
              <th scope="col">Contact</th>
              <th scope="col">Text or status</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => (
              <Row key={e.id} e={e} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
