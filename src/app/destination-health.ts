/**
 * Automatic disabling: a destination failing without a success for
 * WHARF_DESTINATION_DISABLE_AFTER_HOURS is disabled, with `wharf.destination.failing` at half that
 * time and `wharf.destination.disabled` when it happens. Each event is one event whichever process
 * notices first: the failing one by its key, the disabled one because only one `disable` succeeds.
 */
import type { AnyWharfEvent } from '../events/wharf-event.js';
import type { DestinationStore } from '../ports/destination-store.js';
import { destinationDisabledEvent, destinationFailingEvent } from '../core/destinations/operational-event.js';

export type EmitOperational = (event: AnyWharfEvent, aboutDestination: string | null) => Promise<void>;

export async function checkDestinationHealth(
  store: DestinationStore,
  disableAfterMs: number,
  now: number,
  emit: EmitOperational,
): Promise<number> {
  let disabled = 0;
  for (const f of await store.failing()) {
    const disableAt = f.failingSince + disableAfterMs;
    if (now >= disableAt) {
      const hours = Math.round((disableAfterMs / 3_600_000) * 10) / 10;
      const reason = `failing without a success for ${hours} h (since ${new Date(f.failingSince).toISOString()})`;
      if (!(await store.disable(f.id, reason, now))) continue;
      disabled++;
      const data = { destinationId: f.id, destinationName: f.name, reason, failingSince: f.failingSince };
      await emit(destinationDisabledEvent(data, now) as AnyWharfEvent, f.id);
    } else if (f.notifiedAt === null && now >= f.failingSince + disableAfterMs / 2) {
      await store.markFailingNotified(f.id, now);
      const data = { destinationId: f.id, destinationName: f.name, failingSince: f.failingSince, disableAt };
      await emit(destinationFailingEvent(data, now) as AnyWharfEvent, f.id);
    }
  }
  return disabled;
}
