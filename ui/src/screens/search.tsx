import { useState } from 'preact/hooks';
import { ApiError, api, qs, type Page, type WharfEvent } from '../api';
import { contactOf, summaryOf } from '../../../src/cli/listen/event-line.js';
import { Json, Problem, link, when } from '../ui';

interface Contact {
  id: string;
  wa_id: string | null;
  user_id: string | null;
  username: string | null;
  name: string | null;
  replaced_by: string | null;
  window_open: boolean;
  window_open_until: string | null;
  marketing_opt_out: boolean;
}

type Found =
  { kind: 'contact'; contact: Contact | null; events: WharfEvent[] } | { kind: 'none'; query: string };

/** Search by wamid (opens the message), phone number or BSUID (the contact and its recent events). */
export function Search({ initial }: { initial: string }) {
  const [q, setQ] = useState(initial);
  const [found, setFound] = useState<Found | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (e: Event) => {
    e.preventDefault();
    const query = q.trim();
    if (query === '') return;
    setError(null);
    setFound(null);
    if (/^wamid\./i.test(query)) {
      location.hash = link('messages', query);
      return;
    }
    setBusy(true);
    try {
      const contact = await api<Contact>(`/api/v1/contacts/${encodeURIComponent(query)}`).catch(
        (err: unknown) => {
          if (err instanceof ApiError && err.status === 404) return null;
          throw err;
        },
      );
      const page = await api<Page<WharfEvent>>(`/api/v1/events${qs({ contact: query, limit: 50 })}`);
      setFound(
        contact === null && page.data.length === 0
          ? { kind: 'none', query }
          : { kind: 'contact', contact, events: page.data },
      );
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">Search</h1>
      <form class="filters" onSubmit={run} role="search">
        <label>
          wamid, phone number or BSUID
          <input
            name="q"
            value={q}
            onInput={(e) => setQ((e.target as HTMLInputElement).value)}
            placeholder="wamid.HBgL… or 16505551234 or ES.955…"
          />
        </label>
        <button type="submit" disabled={busy}>
          Search
        </button>
      </form>
      {error && <Problem error={error} />}
      {found?.kind === 'none' && <p role="status">Nothing found for {found.query}.</p>}
      {found?.kind === 'contact' && (
        <>
          {found.contact && (
            <dl class="card">
              <div class="field">
                <dt>Name</dt>
                <dd>{found.contact.name ?? '—'}</dd>
              </div>
              <div class="field">
                <dt>Phone (wa_id)</dt>
                <dd>{found.contact.wa_id ?? 'hidden (BSUID only)'}</dd>
              </div>
              <div class="field">
                <dt>BSUID</dt>
                <dd>{found.contact.user_id ?? '—'}</dd>
              </div>
              <div class="field">
                <dt>24 h window</dt>
                <dd>
                  {found.contact.window_open
                    ? `open until ${when(found.contact.window_open_until)}`
                    : 'closed'}
                </dd>
              </div>
              <div class="field">
                <dt>Marketing</dt>
                <dd>{found.contact.marketing_opt_out ? 'opted out' : 'not opted out'}</dd>
              </div>
              {found.contact.replaced_by && (
                <div class="field">
                  <dt>Replaced by</dt>
                  <dd>{found.contact.replaced_by}</dd>
                </div>
              )}
            </dl>
          )}
          <EventTable events={found.events} caption="Recent events of this contact" />
        </>
      )}
    </section>
  );
}

export function EventTable({ events, caption }: { events: WharfEvent[]; caption: string }) {
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Event</th>
          <th scope="col">Contact</th>
          <th scope="col">Text or status</th>
          <th scope="col">Raw</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.id}>
            <td>{when(e.occurred_at)}</td>
            <td>{e.name}</td>
            <td>{contactOf(e as unknown as Record<string, unknown>)}</td>
            <td>
              {e.wamid ? (
                <a href={link('messages', e.wamid)}>
                  {summaryOf(e as unknown as Record<string, unknown>) || e.wamid}
                </a>
              ) : (
                summaryOf(e as unknown as Record<string, unknown>)
              )}
            </td>
            <td>
              <Json value={e.raw} label="item" />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
