/**
 * Which events a destination wants. Pure. Every condition given must hold;
 * `events` holds names or prefixes ending in `.`; without it every event but Wharf's own (`wharf.`)
 * matches, so operational events reach only destinations that ask for them.
 */
import type { AnyWharfEvent } from '../../events/wharf-event.js';
import type { DestinationFilter } from './destination.js';
import { errorPolicy } from '../error-policy.js';

/** Meta error codes an event carries: a failed status's `errors[]`, an `error` event's `error`. */
export function eventErrorCodes(event: AnyWharfEvent): number[] {
  const data = event.data as { errors?: unknown; error?: unknown } | null;
  if (data === null || typeof data !== 'object') return [];
  const list = Array.isArray(data.errors) ? data.errors : data.error === undefined ? [] : [data.error];
  const codes: number[] = [];
  for (const e of list) {
    const code = (e as { code?: unknown } | null)?.code;
    if (typeof code === 'number' && Number.isInteger(code)) codes.push(code);
  }
  return codes;
}

export function nameMatches(patterns: readonly string[] | undefined, name: string): boolean {
  if (patterns === undefined) return !name.startsWith('wharf.');
  return patterns.some((p) => (p.endsWith('.') ? name.startsWith(p) : name === p));
}

export function destinationWants(filter: DestinationFilter, event: AnyWharfEvent): boolean {
  if (!nameMatches(filter.events, event.name)) return false;
  if (filter.phoneNumberIds && !filter.phoneNumberIds.includes(event.phoneNumberId ?? '')) return false;
  if (filter.wabaIds && !filter.wabaIds.includes(event.wabaId)) return false;
  if (filter.errorCodes === undefined && filter.errorActions === undefined) return true;
  const codes = eventErrorCodes(event);
  if (filter.errorCodes && !codes.some((c) => filter.errorCodes?.includes(c))) return false;
  if (filter.errorActions && !codes.some((c) => filter.errorActions?.includes(errorPolicy(c).action)))
    return false;
  return true;
}
