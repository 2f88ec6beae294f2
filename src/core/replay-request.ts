/**
 * `POST /api/v1/replay` bodies and `wharf replay` flags, checked the same way. Pure: the error is a
 * sentence for the caller, naming the field.
 */
import type { ReplayMode } from '../ports/outbox.js';

export type ReplayRequest =
  | { readonly kind: 'delivery'; readonly deliveryId: string; readonly mode: ReplayMode }
  | { readonly kind: 'range'; readonly from: number; readonly to: number; readonly mode: ReplayMode };

export type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** Strict ISO 8601 date-time with a zone (`2026-01-01T00:00:00Z`, `…+02:00`); a bare date is refused as ambiguous. */
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function parseIsoTime(name: string, v: unknown): Parsed<number> {
  if (typeof v !== 'string' || !ISO.test(v))
    return { ok: false, error: `${name} must be an ISO 8601 time with a zone, e.g. 2026-01-01T00:00:00Z` };
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? { ok: true, value: ms } : { ok: false, error: `${name} is not a valid time` };
}

export function parseReplayRequest(body: unknown): Parsed<ReplayRequest> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { ok: false, error: 'body must be a JSON object' };
  const b = body as Record<string, unknown>;
  const unknownKeys = Object.keys(b).filter((k) => !['delivery_id', 'from', 'to', 'mode'].includes(k));
  if (unknownKeys.length > 0) return { ok: false, error: `unknown field(s): ${unknownKeys.join(', ')}` };
  const mode = b['mode'] ?? 'redeliver';
  if (mode !== 'rederive' && mode !== 'redeliver')
    return { ok: false, error: 'mode must be "rederive" or "redeliver"' };
  const hasDelivery = b['delivery_id'] !== undefined;
  const hasRange = b['from'] !== undefined || b['to'] !== undefined;
  if (hasDelivery === hasRange) return { ok: false, error: 'give either delivery_id, or from and to' };
  if (hasDelivery) {
    const id = b['delivery_id'];
    const text = typeof id === 'number' ? String(id) : id;
    if (typeof text !== 'string' || !/^\d{1,18}$/.test(text))
      return { ok: false, error: 'delivery_id must be a delivery id (digits)' };
    return { ok: true, value: { kind: 'delivery', deliveryId: text, mode } };
  }
  return parseRange(b['from'], b['to'], mode);
}

export function parseRange(fromRaw: unknown, toRaw: unknown, mode: ReplayMode): Parsed<ReplayRequest> {
  const from = parseIsoTime('from', fromRaw);
  if (!from.ok) return from;
  const to = parseIsoTime('to', toRaw);
  if (!to.ok) return to;
  if (from.value >= to.value) return { ok: false, error: 'from must be earlier than to' };
  return { ok: true, value: { kind: 'range', from: from.value, to: to.value, mode } };
}
