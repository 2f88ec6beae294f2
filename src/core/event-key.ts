/**
 * Idempotency keys (Meta's docs on duplicates). Deterministic from the item itself, so the same item in two
 * deliveries (retries, several subscribed apps) gets the same key and is stored once.
 */
import { createHash } from 'node:crypto';

/** Inbound message: wamids are unique per business number, so the key is scoped by phone_number_id (Meta's docs on message ids). */
export function messageKey(phoneNumberId: string | undefined, wamid: string): string {
  return `msg:${phoneNumberId ?? ''}:${wamid}`;
}

/** Status: wamid + status (+ participant for group sends). */
export function statusKey(wamid: string, status: string, participant?: string): string {
  return participant === undefined ? `status:${wamid}:${status}` : `status:${wamid}:${status}:${participant}`;
}

/** Echo (smb_message_echoes) and history items carry their own wamid. */
export function scopedIdKey(kind: string, phoneNumberId: string | undefined, id: string): string {
  return `${kind}:${phoneNumberId ?? ''}:${id}`;
}

/**
 * Management events: field + entry.id + key fields + time + a hash of the value. The time alone
 * does not tell two updates apart: the changes of one entry share `entry.time` (seconds), and two
 * partner apps installed or two capability limits changed in that second have the same key
 * fields. A redelivery carries the same value, so it keeps the key.
 */
export function managementKey(
  field: string,
  entryId: string,
  parts: readonly (string | number | undefined)[],
  time: number | null,
  value: unknown,
): string {
  const tail = time === null ? `h${contentHash(value)}` : `${time}:h${contentHash(value)}`;
  return `${field}:${entryId}:${parts.map((p) => p ?? '').join(':')}:${tail}`;
}

/** Items without a natural id: field + entry id + a stable hash of the canonical item JSON. */
export function hashKey(field: string, entryId: string, item: unknown): string {
  return `${field}:${entryId}:h${contentHash(item)}`;
}

/** First 32 hex chars of SHA-256 over the canonical JSON (object keys sorted). */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 32);
}

/** JSON with object keys sorted at every level; `undefined` members dropped as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const s = JSON.stringify(value);
    return s === undefined ? 'null' : s;
  }
  let out: string;
  if (Array.isArray(value)) {
    out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return out + ']';
  }
  const rec = value as Record<string, unknown>;
  const keys = Object.keys(rec).sort();
  out = '{';
  let first = true;
  for (const k of keys) {
    const v = rec[k];
    if (v === undefined) continue;
    out += (first ? '' : ',') + JSON.stringify(k) + ':' + canonicalJson(v);
    first = false;
  }
  return out + '}';
}
