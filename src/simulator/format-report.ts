import type { Attempt } from './meta-retry.js';
import type { DeliveryReport, SimulationReport } from './simulate.js';

/** "450 ms", "12 s", "5 min", "3 h", "7 d". */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Math.round(ms / 1_000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 86_400_000) return `${Math.round(ms / 3_600_000)} h`;
  return `${Math.round(ms / 86_400_000)} d`;
}

/** "immediately", "after 5 min", "after 3 h", "after 1 d": Meta's time, not the compressed one. */
export function formatMetaDelay(ms: number): string {
  return ms === 0 ? 'immediately' : `after ${formatDuration(ms)}`;
}

/** What one attempt got: `HTTP 500`, `timeout`, `ECONNREFUSED`. */
export function describeAttempt(attempt: Attempt): string {
  return attempt.result.status === null
    ? (attempt.result.error ?? 'no answer')
    : `HTTP ${attempt.result.status}`;
}

function describeDelivery(d: DeliveryReport): string {
  const copy = d.copies > 1 ? ` [copy ${d.copy}/${d.copies}]` : '';
  const [first, ...retries] = d.attempts;
  const head = `${d.label}${copy}: ${first === undefined ? 'not sent' : describeAttempt(first)}`;
  const tail = retries
    .map((a) => `, retry ${formatMetaDelay(a.metaDelayMs)} → ${describeAttempt(a)}`)
    .join('');
  const verdict = d.acknowledged ? '' : ' — NOT ACKNOWLEDGED, Meta would give up here';
  return head + tail + verdict;
}

/** Pure: the human summary printed by `wharf simulate`. */
export function formatReport(report: SimulationReport): string[] {
  const lines = [
    `Simulated Meta deliveries to ${report.endpoint} (seed ${report.seed}, now ${report.now}, time scale ${report.timeScale})`,
  ];
  let posts = 0;
  let acked = 0;
  let retried = 0;
  const total = report.scenarios.reduce((n, s) => n + s.deliveries.length, 0);
  for (const s of report.scenarios) {
    const bad = s.deliveries.filter((d) => !d.acknowledged).length;
    const expected = Object.entries(s.expect.events)
      .map(([name, n]) => (n === 1 ? name : `${name}×${n}`))
      .join(', ');
    lines.push(
      `${bad === 0 ? '✔' : '✘'} ${s.name}: ${s.deliveries.length} deliver${s.deliveries.length === 1 ? 'y' : 'ies'}, ${bad === 0 ? 'all acknowledged' : `${bad} not acknowledged`}`,
    );
    lines.push(`    expects ${expected}`);
    for (const d of s.deliveries) {
      posts += d.attempts.length;
      if (d.acknowledged) acked++;
      if (d.attempts.length > 1) retried++;
      if (d.attempts.length > 1 || !d.acknowledged) lines.push(`    ${describeDelivery(d)}`);
    }
  }
  const refused = report.scenarios.some((s) =>
    s.deliveries.some((d) => d.attempts.some((a) => a.result.status === 401)),
  );
  if (refused)
    lines.push(
      'HTTP 401 usually means the endpoint refused the signature: sign with the app secret it checks (--secret, or the first WHATSAPP_APP_SECRET).',
    );
  lines.push(`Retried: ${retried} of ${total} deliveries (${posts} POSTs in all)`);
  lines.push(`${report.ok ? 'OK' : 'FAILED'}: ${acked}/${total} deliveries acknowledged with 200`);
  return lines;
}
