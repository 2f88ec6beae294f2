/** API shapes (snake_case JSON) of destinations and their attempt log. */
import type { Destination, DestinationFilter } from '../core/destinations/destination.js';
import type { DestinationAttempt } from '../ports/destination-store.js';
import type { TransportResult } from '../ports/destination-transport.js';

const iso = (ms: number) => new Date(ms).toISOString();

export function filterJson(f: DestinationFilter) {
  return {
    ...(f.events ? { events: f.events } : {}),
    ...(f.phoneNumberIds ? { phone_number_ids: f.phoneNumberIds } : {}),
    ...(f.wabaIds ? { waba_ids: f.wabaIds } : {}),
    ...(f.errorCodes ? { error_codes: f.errorCodes } : {}),
    ...(f.errorActions ? { error_actions: f.errorActions } : {}),
  };
}

/** Kind settings sit beside the destination's own fields, as they are given. The secret never appears. */
export function destinationJson(d: Destination) {
  return {
    ...d.settings,
    id: d.id,
    name: d.name,
    kind: d.kind,
    enabled: d.enabled,
    filter: filterJson(d.filter),
    format: d.format,
    timeout_ms: d.timeoutMs,
    max_in_flight: d.maxInFlight,
    rate_limit_per_second: d.rateLimitPerSecond,
    ordering: d.ordering,
    batch_window_ms: d.batchWindowMs,
    transform: d.transform,
    created_at: iso(d.createdAt),
    updated_at: iso(d.updatedAt),
    disabled_reason: d.disabledReason,
  };
}

export function attemptJson(a: DestinationAttempt) {
  return {
    id: a.id,
    event_id: a.eventId,
    event_name: a.eventName,
    attempt: a.attempt,
    ok: a.ok,
    status: a.status,
    duration_ms: a.durationMs,
    error: a.error,
    response_excerpt: a.responseExcerpt,
    body_excerpt: a.bodyExcerpt,
    at: iso(a.at),
  };
}

export function testResultJson(r: TransportResult) {
  return {
    ok: r.ok,
    status: r.status,
    duration_ms: Math.round(r.durationMs),
    response_excerpt: r.responseExcerpt,
    error: r.error,
  };
}
