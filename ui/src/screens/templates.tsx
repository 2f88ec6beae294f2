import { Show, useApi, when } from '../ui';

interface TemplateJson {
  template_id: string | null;
  name: string | null;
  language: string | null;
  status: string | null;
  reason: string | null;
  status_at: string | null;
  category: string | null;
  quality: string | null;
  history: { event: string; at: string | null; value: string | null; detail: string | null }[];
}

const COLUMNS = ['APPROVED', 'PENDING', 'PAUSED', 'FLAGGED', 'DISABLED', 'REJECTED'];

/** Templates board: one column per status (others in the last), each card with its history. */
export function Templates() {
  const [list] = useApi<{ data: TemplateJson[] }>('/api/v1/templates');
  return (
    <section aria-labelledby="templates-title">
      <h1 id="templates-title">Templates</h1>
      <Show value={list} what="The templates board">
        {({ data }) => {
          if (data.length === 0) return <p>No template event received yet.</p>;
          const other = data.filter((t) => !COLUMNS.includes(t.status ?? ''));
          return (
            <div class="board">
              {[...COLUMNS, 'OTHER'].map((col) => {
                const cards = col === 'OTHER' ? other : data.filter((t) => t.status === col);
                if (cards.length === 0) return null;
                return (
                  <section key={col} class="column" aria-label={`${col} templates`} data-status={col}>
                    <h2>
                      {col} ({cards.length})
                    </h2>
                    {cards.map((t) => (
                      <article
                        key={`${t.template_id}-${t.name}-${t.language}`}
                        class={`card status-${(t.status ?? 'other').toLowerCase()}`}
                      >
                        <h3>
                          {t.name ?? t.template_id} <small>{t.language}</small>
                        </h3>
                        <p>
                          {t.status ?? 'no status'}
                          {t.reason && t.reason !== 'NONE' ? ` — ${t.reason}` : ''} · {when(t.status_at)}
                        </p>
                        <p>
                          Quality: {t.quality ?? '—'} · Category: {t.category ?? '—'}
                        </p>
                        <details>
                          <summary>History ({t.history.length})</summary>
                          <ol>
                            {t.history.map((h, i) => (
                              <li key={i}>
                                {when(h.at)} {h.event}: {h.value ?? ''} {h.detail ?? ''}
                              </li>
                            ))}
                          </ol>
                        </details>
                      </article>
                    ))}
                  </section>
                );
              })}
            </div>
          );
        }}
      </Show>
    </section>
  );
}
