/**
 * Contacts as CSV (RFC 4180), the suppression list campaign tools import: one line per contact
 * with its phone number, BSUID, name and marketing preference. Pure. A cell that a spreadsheet
 * would run as a formula (`=`, `+`, `-`, `@`, tab, CR at its start: a customer chooses their own
 * profile name) is prefixed with `'` (OWASP, "CSV Injection").
 */
import type { ContactListEntry } from '../ports/read-store.js';

export const SUPPRESSION_CSV_COLUMNS = [
  'wa_id',
  'user_id',
  'name',
  'marketing_opt_out',
  'marketing_preference_at',
  'marketing_preference_source',
  'last_inbound_at',
] as const;

function cell(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function suppressionCsv(contacts: readonly ContactListEntry[]): string {
  const lines = [SUPPRESSION_CSV_COLUMNS.join(',')];
  for (const c of contacts) {
    const pref = c.marketingOptOut;
    lines.push(
      [
        c.waId,
        c.userId,
        c.name,
        String(pref?.optedOut ?? false),
        iso(pref?.at ?? null),
        pref?.source ?? null,
        iso(c.lastInboundAt),
      ]
        .map(cell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
