/** Query parameters shared by GET /events and GET /stream → an EventQuery, or the reason it is invalid. */
import type { EventQuery } from '../ports/read-store.js';
import type { ApiParam } from './api-router.js';
import type { ErrorCode } from '../errors.js';
import { EVENT_NAMES } from '../events/event-names.js';
import { EventPatternError, parseEventPattern } from '../events/event-pattern.js';

/**
 * The latest time a Date can hold (ECMA-262 "Time Values and Time Range"): a larger `since` names
 * no date, and PostgreSQL refuses it as a BIGINT once it is written in exponent form.
 */
const MAX_TIME_MS = 8.64e15;

/** `since`: ISO 8601 time or epoch milliseconds. */
export function parseSince(raw: string): number | null {
  const t = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  return Number.isNaN(t) || t > MAX_TIME_MS ? null : t;
}

export function parseEventQuery(
  q: URLSearchParams,
): { filter: EventQuery } | { error: string; code: ErrorCode } {
  // `?name=a&name=b` reads as "either" to some and "both" to others; answering with the first alone
  // would be a silent wrong answer for one of them.
  for (const { name } of EVENT_FILTER_PARAMS)
    if (q.getAll(name).length > 1)
      return {
        error: `${name} may be given once; for several values, make one request per value`,
        code: 'BAD_REQUEST',
      };
  const filter: { -readonly [K in keyof EventQuery]: EventQuery[K] } = {};
  const name = q.get('name');
  if (name !== null && name !== '') {
    // The one event pattern: a name, or a prefix (`status.`, or `status.*` read as the same), passed
    // on in its canonical spelling; a typo gets a 400 naming the closest name rather than an empty list.
    try {
      filter.name = parseEventPattern(name).pattern;
    } catch (err) {
      if (err instanceof EventPatternError) return { error: `name: ${err.message}`, code: err.code };
      throw err;
    }
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
    if (t === null)
      return {
        error: `since must be an ISO 8601 time or epoch milliseconds up to ${MAX_TIME_MS}`,
        code: 'BAD_REQUEST',
      };
    filter.since = t;
  }
  return { filter };
}

/** The filters above, as the OpenAPI documents of /events and /stream show them. */
export const EVENT_FILTER_PARAMS: readonly ApiParam[] = [
  {
    name: 'name',
    description:
      'Exact event name or a prefix ending with "." (e.g. status.; status.* is read as the same prefix)',
    schema: { type: 'string', examples: ['status.', ...EVENT_NAMES.slice(0, 2)] },
  },
  { name: 'phone_number_id', description: 'Business phone number id' },
  { name: 'contact', description: 'wa_id (phone, + optional) or business-scoped user id' },
  { name: 'wamid', description: 'Message id' },
  {
    name: 'since',
    description: `occurred_at ≥ since: ISO 8601 time or epoch milliseconds (up to ${MAX_TIME_MS})`,
  },
];
