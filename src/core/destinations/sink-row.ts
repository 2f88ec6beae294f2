/**
 * One row of a database sink (kinds `mysql` and `postgres`): the columns docs/destinations.md lists,
 * in SINK_COLUMNS order. `data` is the event's data as Wharf's event JSON has it (snake_case) and
 * `raw` the item exactly as Meta sent it; both are JSON text. Pure.
 */
import { rawTextOf } from '../../events/raw-text.js';
import type { AnyWharfEvent } from '../../events/wharf-event.js';
import { snakeCaseKeys } from '../../events/snake-case-keys.js';

export const SINK_COLUMNS = [
  'event_id',
  'name',
  'event_key',
  'occurred_at',
  'waba_id',
  'phone_number_id',
  'wamid',
  'contact_wa_id',
  'contact_user_id',
  'data',
  'raw',
] as const;

export interface SinkRow {
  readonly eventId: string | null;
  readonly name: string;
  readonly eventKey: string;
  /** Epoch ms, or null when the payload gave no time. */
  readonly occurredAt: number | null;
  readonly wabaId: string;
  readonly phoneNumberId: string | null;
  readonly wamid: string | null;
  readonly contactWaId: string | null;
  readonly contactUserId: string | null;
  /** JSON text. */
  readonly data: string;
  /** JSON text. */
  readonly raw: string;
}

export function sinkRow(event: AnyWharfEvent, eventId: string | undefined): SinkRow {
  return {
    eventId: eventId === undefined || eventId === '' ? null : eventId,
    name: event.name,
    eventKey: event.key,
    occurredAt: event.occurredAt,
    wabaId: event.wabaId,
    phoneNumberId: event.phoneNumberId ?? null,
    wamid: event.wamid ?? null,
    contactWaId: event.contact?.waId ?? null,
    contactUserId: event.contact?.userId ?? null,
    data: JSON.stringify(snakeCaseKeys(event.data)),
    // The text the item came as when still text (a claimed row's event): not parsed to serialize again.
    raw: rawTextOf(event) ?? JSON.stringify(event.raw ?? null),
  };
}

/**
 * What is wrong with an existing table, in plain words, or null when Wharf can write to it: every
 * column present, and `event_key` unique (else a retried event would be written twice).
 */
export function sinkTableProblem(
  table: string,
  columns: readonly string[],
  eventKeyUnique: boolean,
): string | null {
  const have = new Set(columns.map((c) => c.toLowerCase()));
  const missing = SINK_COLUMNS.filter((c) => !have.has(c));
  if (missing.length > 0)
    return `table ${table} exists but has no column ${missing.join(', ')}: Wharf writes ${SINK_COLUMNS.join(', ')} (drop or rename the table, or name another one in "table")`;
  if (!eventKeyUnique)
    return `table ${table} has no unique index on event_key alone: without it a retried event would be written twice`;
  return null;
}
