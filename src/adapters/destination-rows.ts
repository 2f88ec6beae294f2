/**
 * Destination and attempt rows as both adapters select them (same columns; JSON kept as text,
 * times as epoch-ms numbers, SQLite's 0/1 and PostgreSQL's booleans both read as truthiness), and
 * their mapping to the port's types, shared so SQLite and PostgreSQL answer identically.
 */
import type {
  Destination,
  DestinationFormat,
  DestinationKind,
  DestinationSecrets,
} from '../core/destinations/destination.js';
import type { AnyWharfEvent } from '../events/wharf-event.js';
import type { DestinationAttempt, DestinationFields, NewAttempt } from '../ports/destination-store.js';

export type DestinationDbRow = Record<string, unknown>;

export const DESTINATION_COLUMNS = `id, name, kind, enabled, filter, format, settings, timeout_ms,
  max_in_flight, rate_limit_per_second, ordering, batch_window_ms, transform, disabled_reason, created_at, updated_at`;

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function toDestination(r: DestinationDbRow): Destination {
  return {
    id: String(r['id']),
    name: String(r['name']),
    kind: r['kind'] as DestinationKind,
    enabled: Boolean(r['enabled']),
    filter: JSON.parse(String(r['filter'])) as Destination['filter'],
    format: r['format'] as DestinationFormat,
    settings: JSON.parse(String(r['settings'])) as Destination['settings'],
    timeoutMs: num(r['timeout_ms']),
    maxInFlight: num(r['max_in_flight']),
    rateLimitPerSecond: numOrNull(r['rate_limit_per_second']),
    ordering: r['ordering'] === 'contact' ? 'contact' : 'none',
    batchWindowMs: num(r['batch_window_ms']),
    transform: strOrNull(r['transform']),
    createdAt: num(r['created_at']),
    updatedAt: num(r['updated_at']),
    disabledReason: strOrNull(r['disabled_reason']),
  };
}

export function toSecrets(r: DestinationDbRow): DestinationSecrets {
  return {
    current: String(r['secret_current']),
    previous: strOrNull(r['secret_previous']),
    previousUntil: numOrNull(r['secret_previous_until']),
  };
}

/** Column name → value of the fields a create or a patch sets (JSON encoded as stored). */
export function fieldColumns(f: Partial<DestinationFields>): Record<string, unknown> {
  const c: Record<string, unknown> = {};
  if (f.name !== undefined) c['name'] = f.name;
  if (f.kind !== undefined) c['kind'] = f.kind;
  if (f.enabled !== undefined) c['enabled'] = f.enabled;
  if (f.filter !== undefined) c['filter'] = JSON.stringify(f.filter);
  if (f.format !== undefined) c['format'] = f.format;
  if (f.settings !== undefined) c['settings'] = JSON.stringify(f.settings);
  if (f.timeoutMs !== undefined) c['timeout_ms'] = f.timeoutMs;
  if (f.maxInFlight !== undefined) c['max_in_flight'] = f.maxInFlight;
  if (f.rateLimitPerSecond !== undefined) c['rate_limit_per_second'] = f.rateLimitPerSecond;
  if (f.ordering !== undefined) c['ordering'] = f.ordering;
  if (f.batchWindowMs !== undefined) c['batch_window_ms'] = f.batchWindowMs;
  if (f.transform !== undefined) c['transform'] = f.transform;
  // Enabling again is a person's decision: the reason it was disabled no longer applies.
  if (f.enabled === true) {
    c['disabled_reason'] = null;
    c['failing_since'] = null;
    c['failing_notified_at'] = null;
  }
  return c;
}

export const ATTEMPT_COLUMNS = `id, destination_id, outbox_id, event_id, event_name, attempt, ok, status,
  duration_ms, error, response_excerpt, at, body_excerpt`;

export function toAttempt(r: DestinationDbRow): DestinationAttempt {
  return {
    id: String(r['id']),
    destinationId: String(r['destination_id']),
    outboxId: strOrNull(r['outbox_id']),
    eventId: strOrNull(r['event_id']),
    eventName: String(r['event_name']),
    attempt: num(r['attempt']),
    ok: Boolean(r['ok']),
    status: numOrNull(r['status']),
    durationMs: num(r['duration_ms']),
    error: strOrNull(r['error']),
    responseExcerpt: strOrNull(r['response_excerpt']),
    bodyExcerpt: strOrNull(r['body_excerpt']),
    at: num(r['at']),
  };
}

/** An attempt's values in ATTEMPT_COLUMNS order, without the id. */
export function attemptValues(a: NewAttempt): unknown[] {
  return [
    a.destinationId,
    a.outboxId === null ? null : Number(a.outboxId),
    a.eventId === null ? null : Number(a.eventId),
    a.eventName,
    a.attempt,
    a.ok,
    a.status,
    Math.round(a.durationMs),
    a.error,
    a.responseExcerpt,
    a.at,
    a.bodyExcerpt,
  ];
}

/** An operational event's values in the events table's column order (no delivery). */
export const OPERATIONAL_EVENT_COLUMNS =
  'key, name, field, occurred_at, waba_id, phone_number_id, contact_wa_id, wamid, data, raw, created_at';

/** Values in OPERATIONAL_EVENT_COLUMNS order. */
export function operationalValues(e: AnyWharfEvent, now: number): Array<string | number | null> {
  return [
    e.key,
    e.name,
    e.field,
    e.occurredAt,
    e.wabaId,
    e.phoneNumberId ?? null,
    e.contact?.waId ?? null,
    e.wamid ?? null,
    JSON.stringify(e.data),
    JSON.stringify(e.raw) ?? null,
    now,
  ];
}
