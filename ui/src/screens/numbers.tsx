import { Json, Show, useApi, when } from '../ui';

interface NumberJson {
  phone_number_id: string | null;
  display_phone_number: string | null;
  name_status: string | null;
  requested_name: string | null;
  name_rejection_reason: string | null;
  quality_event: string | null;
  messaging_limit_tier: string | null;
  previous_messaging_limit_tier: string | null;
}
interface AccountJson {
  waba_id: string;
  aspect: string;
  at: string | null;
  data: unknown;
}

export function Numbers() {
  const [numbers] = useApi<{ data: NumberJson[] }>('/api/v1/phone-numbers');
  const [account] = useApi<{ data: AccountJson[] }>('/api/v1/account');
  return (
    <section aria-labelledby="numbers-title">
      <h1 id="numbers-title">Numbers and account</h1>
      <Show value={numbers} what="Phone numbers">
        {({ data }) => (
          <table>
            <caption>Business phone numbers</caption>
            <thead>
              <tr>
                <th scope="col">Number</th>
                <th scope="col">Id</th>
                <th scope="col">Quality</th>
                <th scope="col">Messaging limit</th>
                <th scope="col">Name</th>
              </tr>
            </thead>
            <tbody>
              {data.length === 0 && (
                <tr>
                  <td colSpan={5}>No phone number event received yet.</td>
                </tr>
              )}
              {data.map((n) => (
                <tr key={n.phone_number_id ?? n.display_phone_number}>
                  <td>{n.display_phone_number ?? '—'}</td>
                  <td>{n.phone_number_id ?? '—'}</td>
                  <td>{n.quality_event ?? '—'}</td>
                  <td>
                    {n.messaging_limit_tier ?? '—'}
                    {n.previous_messaging_limit_tier &&
                    n.previous_messaging_limit_tier !== n.messaging_limit_tier
                      ? ` (was ${n.previous_messaging_limit_tier})`
                      : ''}
                  </td>
                  <td>
                    {n.requested_name ?? ''} {n.name_status ?? ''} {n.name_rejection_reason ?? ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Show>
      <h2>Account</h2>
      <Show value={account} what="Account state">
        {({ data }) =>
          data.length === 0 ? (
            <p>No account event received yet.</p>
          ) : (
            <ul class="cards">
              {data.map((a) => (
                <li key={`${a.waba_id}-${a.aspect}`} class="card">
                  <strong>{a.aspect}</strong> · WABA {a.waba_id} · {when(a.at)}
                  <Json value={a.data} label="details" />
                </li>
              ))}
            </ul>
          )
        }
      </Show>
    </section>
  );
}
