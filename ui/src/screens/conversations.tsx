import { useEffect, useState } from 'preact/hooks';
import { api, qs, type Page } from '../api';
import { Field, Pager, Problem, Show, link, useApi, useCursor, when } from '../ui';

interface ConversationJson {
  contact: { wa_id: string | null; user_id: string | null; username: string | null; name: string | null };
  phone_number_id: string;
  summary: string;
  last_user_message: { text: string | null; type: string | null; at: string | null } | null;
  last_business_message: {
    text: string | null;
    type: string | null;
    status: string | null;
    at: string | null;
  } | null;
  window_open_until: string | null;
  message_count: { inbound: number; outbound: number };
  last_activity_at: string;
  note: string | null;
  automation_notes: string | null;
  labels: string[];
  recent_messages?: {
    wamid: string;
    direction: string;
    type: string | null;
    text: string | null;
    status: string | null;
    at: string | null;
  }[];
}

const contactId = (c: ConversationJson['contact']) => c.wa_id ?? c.user_id ?? '';

export function Conversations() {
  const [label, setLabel] = useState('');
  const [applied, setApplied] = useState('');
  const paging = useCursor();
  const [page] = useApi<Page<ConversationJson>>(
    `/api/v1/conversations${qs({ label: applied, cursor: paging.cursor, limit: 50 })}`,
  );
  return (
    <section aria-labelledby="conv-title">
      <h1 id="conv-title">Conversations</h1>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          paging.reset();
          setApplied(label.trim());
        }}
      >
        <label>
          Label
          <input name="label" value={label} onInput={(e) => setLabel((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit">Filter</button>
      </form>
      <Show value={page} what="Conversations">
        {(p) => (
          <>
            <p class="hint">{p.total ?? p.data.length} conversations</p>
            <table>
              <thead>
                <tr>
                  <th scope="col">Contact</th>
                  <th scope="col">Last activity</th>
                  <th scope="col">Last message</th>
                  <th scope="col">Window</th>
                  <th scope="col">Labels</th>
                </tr>
              </thead>
              <tbody>
                {p.data.map((c) => (
                  <tr key={`${c.phone_number_id}/${contactId(c.contact)}`}>
                    <td>
                      <a href={link('conversations', contactId(c.contact), c.phone_number_id)}>
                        {c.contact.name ?? c.contact.username ?? contactId(c.contact)}
                      </a>
                    </td>
                    <td>{when(c.last_activity_at)}</td>
                    <td>{c.last_user_message?.text ?? c.last_business_message?.text ?? '—'}</td>
                    <td>
                      {c.window_open_until && Date.parse(c.window_open_until) > Date.now()
                        ? 'open'
                        : 'closed'}
                    </td>
                    <td>{c.labels.join(', ')}</td>
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

export function Conversation({
  contact,
  phoneNumberId,
}: {
  contact: string;
  phoneNumberId: string | undefined;
}) {
  const path = `/api/v1/conversations/${encodeURIComponent(contact)}${qs({ phone_number_id: phoneNumberId })}`;
  const [c, reload] = useApi<ConversationJson>(path);
  return (
    <section aria-labelledby="conv-detail-title">
      <h1 id="conv-detail-title">Conversation with {contact}</h1>
      <Show value={c} what="This conversation">
        {(conv) => (
          <>
            <p class="summary">{conv.summary}</p>
            <dl class="card">
              <Field label="Name">{conv.contact.name ?? '—'}</Field>
              <Field label="Phone">{conv.contact.wa_id ?? 'hidden'}</Field>
              <Field label="BSUID">{conv.contact.user_id ?? '—'}</Field>
              <Field label="Window open until">{when(conv.window_open_until)}</Field>
              <Field label="Messages">
                {conv.message_count.inbound} in, {conv.message_count.outbound} out
              </Field>
            </dl>
            <Editor conv={conv} path={path} onSaved={reload} />
            <h2>Recent messages</h2>
            <ol class="messages">
              {(conv.recent_messages ?? []).map((m) => (
                <li key={m.wamid} class={m.direction}>
                  <a href={link('messages', m.wamid)}>{m.text ?? `(${m.type ?? 'message'})`}</a>{' '}
                  <small>
                    {when(m.at)}
                    {m.status ? ` · ${m.status}` : ''}
                  </small>
                </li>
              ))}
            </ol>
          </>
        )}
      </Show>
    </section>
  );
}

function Editor({ conv, path, onSaved }: { conv: ConversationJson; path: string; onSaved: () => void }) {
  const [labels, setLabels] = useState(conv.labels.join(', '));
  const [note, setNote] = useState(conv.note ?? '');
  const [automation, setAutomation] = useState(conv.automation_notes ?? '');
  const [error, setError] = useState<Error | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => setSaved(false), [labels, note, automation]);
  const save = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await api(path, {
        method: 'PATCH',
        body: {
          labels: labels
            .split(',')
            .map((l) => l.trim())
            .filter((l) => l !== ''),
          note: note === '' ? null : note,
          automation_notes: automation === '' ? null : automation,
        },
      });
      setSaved(true);
      onSaved();
    } catch (err) {
      setError(err as Error);
    }
  };
  return (
    <form class="editor" onSubmit={save} aria-label="Labels and notes">
      <label>
        Labels (comma-separated)
        <input
          name="labels"
          value={labels}
          onInput={(e) => setLabels((e.target as HTMLInputElement).value)}
        />
      </label>
      <label>
        Note
        <textarea
          name="note"
          value={note}
          onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)}
        />
      </label>
      <label>
        Automation notes
        <textarea
          name="automation_notes"
          value={automation}
          onInput={(e) => setAutomation((e.target as HTMLTextAreaElement).value)}
        />
      </label>
      <button type="submit">Save</button>
      {saved && <span role="status"> Saved.</span>}
      {error && <Problem error={error} />}
    </form>
  );
}
