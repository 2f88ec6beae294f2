/** Query parameters shared by GET /events and GET /stream → an EventFilter, or the reason it is invalid. */
import type { EventFilter } from '../ports/processing-store.js';
import { EVENT_NAMES } from '../events/event-names.js';

/** `since`: ISO 8601 time or epoch milliseconds. */
export function parseSince(raw: string): number | null {
  if (/^\d+$/.test(raw)) return Number(raw);
  const t = Date.parse(raw);
  return Number.isNaN(t) ? null : t;
}

export function parseEventFilter(q: URLSearchParams): { filter: EventFilter } | { error: string } {
  const filter: { -readonly [K in keyof EventFilter]: EventFilter[K] } = {};
  const name = q.get('name');
  if (name !== null && name !== '') {
    // A prefix (`status.`) or an exact catalog name; a typo gets a 400 rather than an empty list.
    const known = name.endsWith('.')
      ? EVENT_NAMES.some((n) => n.startsWith(name))
      : EVENT_NAMES.includes(name as never);
    if (!known) return { error: `name must be an event name or a prefix ending with "." (e.g. status.)` };
    filter.name = name;
  }
  for (const [param, key] of [
    ['phone_number_id', 'phoneNumberId'],
    ['contact', 'contact'],
    ['wamid', 'wamid'],
  ] as const) {
    const v = q.get(param);
    if (v !== null && v !== '') filter[key] = v;
  }
  const since = q.get('since');
  if (since !== null && since !== '') {
    const t = parseSince(since);
    if (t === null) return { error: 'since must be an ISO 8601 time or epoch milliseconds' };
    filter.since = t;
  }
  return { filter };
}
