/**
 * `field: "messages"` (Meta's docs on the `messages` field and its error object; inbound messages; message statuses): messages, statuses and value-level errors may be
 * mixed in one value; every element of each array is one event. A key present with the wrong
 * type is one `unknown`-family event; a value with no items at all is one `unknown` event.
 */
import { hashKey } from '../event-key.js';
import { ContactIndex, emit, type ChangeContext } from './context.js';
import { waError } from './errors.js';
import { normalizeInboundMessage } from './inbound-message.js';
import { epochMs, type Obj } from './read.js';
import { normalizeStatus } from './status.js';
import { emitUnknown } from './unknown.js';

type ItemFn = (ctx: ChangeContext, item: unknown, contacts: ContactIndex) => void;

/** Walks `value[key]`; returns how many events it produced. */
export function walk(
  ctx: ChangeContext,
  value: Obj,
  key: string,
  contacts: ContactIndex,
  fn: ItemFn,
): number {
  const arr = value[key];
  if (arr === undefined || arr === null) return 0;
  if (!Array.isArray(arr)) {
    emitUnknown(ctx, `${key} is not an array`, arr);
    return 1;
  }
  for (const item of arr) fn(ctx, item, contacts);
  return arr.length;
}

export function normalizeValueError(ctx: ChangeContext, item: unknown): void {
  emit(ctx, 'error', {
    key: hashKey(ctx.field, ctx.wabaId, item),
    occurredAt: ctx.entryTime,
    data: { error: waError(item) },
    raw: item,
  });
}

export function normalizeMessages(ctx: ChangeContext, value: Obj): void {
  const contacts = new ContactIndex(value['contacts']);
  let n = walk(ctx, value, 'messages', contacts, normalizeInboundMessage);
  n += walk(ctx, value, 'statuses', contacts, normalizeStatus);
  n += walk(ctx, value, 'errors', contacts, normalizeValueError);
  if (n === 0) emitUnknown(ctx, 'messages value holds no messages, statuses or errors', value);
}

/** Time of a value-level item: its own timestamp, else entry.time. */
export function itemTime(ctx: ChangeContext, v: unknown): number | null {
  return epochMs(v) ?? ctx.entryTime;
}
