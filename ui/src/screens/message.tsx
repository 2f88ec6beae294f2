import { useEffect, useState } from 'preact/hooks';
import { api, qs, request, type Page, type WharfEvent } from '../api';
import { Field, Show, useApi, when } from '../ui';
import { EventTable } from './search';

interface MessageJson {
  wamid: string;
  phone_number_id: string;
  direction: string;
  type: string | null;
  status: string | null;
  statuses: { status: string; at: string | null }[];
  failed: boolean;
  errors: {
    code: number | null;
    title: string | null;
    message: string | null;
    details: string | null;
    href: string | null;
  }[];
  pricing: {
    category: string | null;
    type: string | null;
    pricing_model: string | null;
    billable: boolean | null;
  } | null;
  conversation: { id: string | null; origin: string | null; expires_at: string | null } | null;
  biz_opaque_callback_data: string | null;
  preview: string | null;
  media: {
    id: string | null;
    mime_type: string | null;
    stored?: boolean;
    stored_url?: string | null;
    size?: number | null;
    error?: string | null;
  } | null;
  contact: { wa_id: string | null; user_id: string | null };
  occurred_at: string | null;
  /** Present once SMS fallback is on the server (design §7.4). */
  fallback?: {
    channel: string;
    to: string | null;
    state: string;
    provider_id: string | null;
    at: string | null;
    reason: string | null;
  } | null;
}

export interface Policy {
  code: number | null;
  category: string;
  action: string;
  alert: boolean;
  meaning: string;
  confirmed: boolean;
}

const ACTIONS: Record<string, string> = {
  retry: 'Try again later with a new message',
  dont_retry: 'Do not retry: the same send fails again',
  fallback: 'Reach the person another way (SMS, e-mail)',
  send_template: 'The 24 h window is closed: send an approved template',
  suppress: 'Stop this kind of message to this person',
  alert: 'A person must fix configuration, account, billing or policy',
  fix_template: 'Change the template or its parameters',
};
export const actionText = (a: string) => ACTIONS[a] ?? a;

export function ErrorExplained({ error }: { error: MessageJson['errors'][number] }) {
  const [policy, setPolicy] = useState<Policy | null>(null);
  useEffect(() => {
    if (error.code === null) return;
    api<Policy>(`/api/v1/error-policy/${error.code}`).then(setPolicy, () => setPolicy(null));
  }, [error.code]);
  return (
    <article class="card failed" data-testid="message-error">
      <h3>
        Error <span data-testid="error-code">{error.code ?? '—'}</span>: {error.title ?? error.message ?? ''}
      </h3>
      {error.details && <p>{error.details}</p>}
      {policy && (
        <dl class="policy">
          <Field label="Meaning">
            <span data-testid="error-meaning">{policy.meaning}</span>
          </Field>
          <Field label="Category">{policy.category}</Field>
          <Field label="What to do">
            <span data-testid="error-action">
              {policy.action}: {actionText(policy.action)}
              {policy.alert ? ' (page a person)' : ''}
            </span>
          </Field>
        </dl>
      )}
      {error.href && (
        <p>
          <a href={error.href} rel="noreferrer noopener" target="_blank">
            Meta's page on this error
          </a>
        </p>
      )}
    </article>
  );
}

/** The stored media file, fetched with the token (an <img src> cannot send it) and shown from memory. */
function MediaPreview({ url, mime }: { url: string; mime: string | null }) {
  const [src, setSrc] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let made: string | null = null;
    request(url)
      .then((r) => r.blob())
      .then((b) => setSrc((made = URL.createObjectURL(b))))
      .catch((err: Error) => setProblem(err.message));
    return () => {
      if (made) URL.revokeObjectURL(made);
    };
  }, [url]);
  if (problem) return <p class="error">{problem}</p>;
  if (!src) return <p aria-busy="true">Loading media…</p>;
  if (mime?.startsWith('image/')) return <img class="media" src={src} alt="The message's image" />;
  if (mime?.startsWith('video/')) return <video class="media" src={src} controls />;
  if (mime?.startsWith('audio/')) return <audio src={src} controls />;
  return (
    <a href={src} download>
      Download the file
    </a>
  );
}

export function Message({ wamid, phoneNumberId }: { wamid: string; phoneNumberId: string | undefined }) {
  const [m, reload] = useApi<MessageJson>(
    `/api/v1/messages/${encodeURIComponent(wamid)}${qs({ phone_number_id: phoneNumberId })}`,
  );
  const [events] = useApi<Page<WharfEvent>>(`/api/v1/events${qs({ wamid, limit: 100 })}`);
  return (
    <section aria-labelledby="message-title">
      <h1 id="message-title">Message</h1>
      <p class="mono">{wamid}</p>
      <button type="button" onClick={reload}>
        Refresh
      </button>
      <Show value={m} what="This message">
        {(msg) => (
          <>
            <dl class="card">
              <Field label="Direction">{msg.direction}</Field>
              <Field label="Type">{msg.type ?? '—'}</Field>
              <Field label="Status">
                <strong data-testid="message-status">{msg.status ?? (msg.failed ? 'failed' : '—')}</strong>
                {msg.failed && msg.status !== null && msg.status !== 'failed'
                  ? ' (a failure was reported too)'
                  : ''}
              </Field>
              <Field label="Contact">
                {msg.contact.wa_id ? `+${msg.contact.wa_id}` : (msg.contact.user_id ?? '—')}
              </Field>
              <Field label="Phone number id">{msg.phone_number_id}</Field>
              <Field label="Text">{msg.preview ?? '—'}</Field>
              {msg.biz_opaque_callback_data && (
                <Field label="Callback data">{msg.biz_opaque_callback_data}</Field>
              )}
            </dl>
            <h2>Status timeline</h2>
            <ol class="timeline" data-testid="timeline">
              {msg.statuses.length === 0 && <li>No status yet.</li>}
              {msg.statuses.map((s) => (
                <li key={s.status} class={s.status === 'failed' ? 'failed' : ''}>
                  <strong>{s.status}</strong> <time dateTime={s.at ?? undefined}>{when(s.at)}</time>
                </li>
              ))}
            </ol>
            {msg.errors.length > 0 && <h2>Errors</h2>}
            {msg.errors.map((e, i) => (
              <ErrorExplained key={i} error={e} />
            ))}
            <h2>Pricing</h2>
            {msg.pricing ? (
              <dl class="card">
                <Field label="Category">{msg.pricing.category ?? '—'}</Field>
                <Field label="Type">{msg.pricing.type ?? '—'}</Field>
                <Field label="Model">{msg.pricing.pricing_model ?? '—'}</Field>
                <Field label="Billable">
                  {msg.pricing.billable === null ? '—' : msg.pricing.billable ? 'yes' : 'no'}
                </Field>
              </dl>
            ) : (
              <p>No pricing reported.</p>
            )}
            {msg.fallback !== undefined && (
              <>
                <h2>SMS fallback</h2>
                {msg.fallback ? (
                  <dl class="card">
                    <Field label="State">{msg.fallback.state}</Field>
                    <Field label="To">{msg.fallback.to ?? '—'}</Field>
                    <Field label="Provider id">{msg.fallback.provider_id ?? '—'}</Field>
                    <Field label="At">{when(msg.fallback.at)}</Field>
                    {msg.fallback.reason && <Field label="Reason">{msg.fallback.reason}</Field>}
                  </dl>
                ) : (
                  <p>No fallback for this message.</p>
                )}
              </>
            )}
            {msg.media && (
              <>
                <h2>Media</h2>
                <dl class="card">
                  <Field label="Media id">{msg.media.id ?? '—'}</Field>
                  <Field label="Type">{msg.media.mime_type ?? '—'}</Field>
                  {msg.media.error && <Field label="Error">{msg.media.error}</Field>}
                </dl>
                {msg.media.stored && msg.media.stored_url ? (
                  <MediaPreview url={msg.media.stored_url} mime={msg.media.mime_type} />
                ) : (
                  <p>
                    {msg.media.stored === undefined
                      ? 'Media storage is not available on this server.'
                      : 'Not stored (yet).'}
                  </p>
                )}
              </>
            )}
          </>
        )}
      </Show>
      <h2>Raw items</h2>
      <Show value={events}>
        {(p) => <EventTable events={p.data} caption="Every event about this message, as Meta sent it" />}
      </Show>
    </section>
  );
}
