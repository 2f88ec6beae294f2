/**
 * Envelope → events, walking every entry × change × item (never `[0]`: Meta batches many items in one POST). Never throws:
 * an entry, change or value of the wrong shape becomes one `unknown` event and the rest of the
 * delivery is still normalized. Every item yields exactly one event (items per field: docs/events.md).
 */
import type { AnyWharfEvent } from '../events/wharf-event.js';
import type { DeliveryEnvelope } from './parse-delivery.js';
import type { ChangeContext } from './normalize/context.js';
import { fieldNormalizer } from './normalize/field-normalizers.js';
import { epochMs, list, obj, phone, str, type Obj } from './normalize/read.js';
import { emitUnknown } from './normalize/unknown.js';

function changeContext(
  field: string,
  wabaId: string,
  entryTime: number | null,
  value: Obj | undefined,
  out: AnyWharfEvent[],
): ChangeContext {
  const meta = value ? obj(value['metadata']) : undefined;
  return {
    field,
    wabaId,
    entryTime,
    phoneNumberId: meta ? str(meta['phone_number_id']) : undefined,
    displayPhoneNumber: meta
      ? phone(meta['display_phone_number'])
      : value
        ? phone(value['display_phone_number'])
        : undefined,
    out,
  };
}

function normalizeChange(
  change: unknown,
  wabaId: string,
  entryTime: number | null,
  out: AnyWharfEvent[],
): void {
  const c = obj(change);
  const field = c ? (str(c['field']) ?? '') : '';
  const value = c ? obj(c['value']) : undefined;
  const ctx = changeContext(field, wabaId, entryTime, value, out);
  if (c === undefined) return emitUnknown(ctx, 'change is not an object', change);
  const normalizer = fieldNormalizer(field);
  if (normalizer === undefined) return emitUnknown(ctx, `unknown webhook field "${field}"`, change);
  if (value === undefined) return emitUnknown(ctx, `value of field "${field}" is not an object`, change);
  const before = out.length;
  try {
    normalizer(ctx, value);
  } catch (err) {
    // Defensive: normalizers are written not to throw. If one does, the change still yields one event.
    out.length = before;
    emitUnknown(ctx, `normalizer failed: ${err instanceof Error ? err.message : String(err)}`, change);
  }
}

function normalizeEntry(entry: unknown, out: AnyWharfEvent[]): void {
  const e = obj(entry);
  const wabaId = e ? (str(e['id']) ?? '') : '';
  const entryTime = e ? epochMs(e['time']) : null;
  if (e === undefined || !Array.isArray(e['changes'])) {
    const ctx = changeContext('', wabaId, entryTime, undefined, out);
    return emitUnknown(ctx, e === undefined ? 'entry is not an object' : 'entry has no changes array', entry);
  }
  for (const change of list(e['changes'])) normalizeChange(change, wabaId, entryTime, out);
}

export function normalizeDelivery(envelope: DeliveryEnvelope): readonly AnyWharfEvent[] {
  const out: AnyWharfEvent[] = [];
  const entries = Array.isArray(envelope?.entry) ? envelope.entry : [];
  for (const entry of entries) normalizeEntry(entry, out);
  return out;
}
