/** The `unknown` event: a field Wharf does not know, or a part of a delivery it cannot read. */
import { hashKey } from '../event-key.js';
import { emit, type ChangeContext } from './context.js';

export function emitUnknown(ctx: ChangeContext, reason: string, raw: unknown): void {
  emit(ctx, 'unknown', {
    key: hashKey(ctx.field, ctx.wabaId, raw),
    occurredAt: ctx.entryTime,
    data: { reason },
    raw,
  });
}
