/** Committed events counted by name and field (the processing metrics' labels). Pure. */
import type { CommittedEvent, EventTally } from '../ports/processing-store.js';

export function eventTally(committed: readonly CommittedEvent[]): EventTally {
  const counts = new Map<string, Map<string, number>>();
  for (const { event } of committed) {
    let byField = counts.get(event.name);
    if (byField === undefined) counts.set(event.name, (byField = new Map()));
    byField.set(event.field, (byField.get(event.field) ?? 0) + 1);
  }
  const byNameAndField: Array<readonly [string, string, number]> = [];
  for (const [name, byField] of counts)
    for (const [field, n] of byField) byNameAndField.push([name, field, n]);
  return { count: committed.length, byNameAndField };
}
