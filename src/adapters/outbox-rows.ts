/**
 * The outbox row as both adapters select it (same columns, times as epoch-ms numbers) and its
 * mapping to the port's OutboxRow, shared so SQLite and PostgreSQL answer identically.
 */
import type { OutboxRow } from '../ports/outbox.js';

export interface OutboxDbRow {
  id: number;
  event_id: number;
  event_name: string;
  event_key: string;
  target: string;
  state: OutboxRow['state'];
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  dead_at: number | null;
  created_at: number;
  updated_at: number;
}

export const OUTBOX_ROW_SELECT = `SELECT o.id, o.event_id, e.name AS event_name, e.key AS event_key, o.target, o.state,
  o.attempts, o.next_attempt_at, o.last_error, o.dead_at, o.created_at, o.updated_at
  FROM outbox o JOIN events e ON e.id = o.event_id`;

export function toOutboxRow(r: OutboxDbRow): OutboxRow {
  return {
    id: String(r.id),
    eventId: String(r.event_id),
    eventName: r.event_name,
    eventKey: r.event_key,
    target: r.target,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    deadAt: r.dead_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
