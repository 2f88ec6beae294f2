/** Shared emit for management fields: one event per change, keyed by field + entry.id + key fields + time (Meta's docs on duplicates). */
import type { EventName } from '../../events/event-names.js';
import type { EventDataMap } from '../../events/event-data.js';
import type { ContactIdentity } from '../../events/wharf-event.js';
import { managementKey } from '../event-key.js';
import { emit, type ChangeContext } from './context.js';

export interface ManagementExtras {
  readonly occurredAt?: number | null;
  readonly phoneNumberId?: string | undefined;
  readonly displayPhoneNumber?: string | undefined;
  readonly contact?: ContactIdentity | undefined;
}

export function emitManagement<N extends EventName>(
  ctx: ChangeContext,
  name: N,
  value: unknown,
  parts: readonly (string | number | undefined)[],
  data: EventDataMap[N],
  extras: ManagementExtras = {},
): void {
  const occurredAt = extras.occurredAt ?? ctx.entryTime;
  emit(ctx, name, {
    key: managementKey(ctx.field, ctx.wabaId, parts, occurredAt, value),
    occurredAt,
    data,
    raw: value,
    phoneNumberId: extras.phoneNumberId,
    displayPhoneNumber: extras.displayPhoneNumber,
    contact: extras.contact,
  });
}
