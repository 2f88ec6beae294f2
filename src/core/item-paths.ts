/**
 * Where each event's `raw` item is in its delivery body, as a JSON path (`$.entry[0].changes[0].value.statuses[2]`):
 * SQLite keeps `raw` out of the events row and reads it back from the delivery (docs/benchmarks.md
 * "Processing"), and with the path its JSON functions take the item's text out of the body by
 * themselves, instead of the body being parsed and normalized again to find it (docs/benchmarks.md,
 * "CPU per delivered event"). The item is found by identity among the parsed envelope's entries,
 * changes, values and the elements of each value's arrays, where the normalizers take every item
 * from; an item elsewhere (nested deeper, or made by a normalizer) has no path and is read back as
 * before. Pure: the envelope as parsed, the events normalized from it.
 */
import type { DeliveryEnvelope } from './parse-delivery.js';

/** A member name that needs no quoting in a JSON path. */
const PLAIN = /^[A-Za-z_][A-Za-z0-9_]*$/;

const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null;

/** The path of each event's raw item, in the events' order; undefined where it was not found. */
export function itemPaths(
  envelope: DeliveryEnvelope,
  events: ReadonlyArray<{ readonly raw: unknown }>,
): Array<string | undefined> {
  const wanted = new Map<unknown, string | undefined>();
  for (const e of events) if (isObject(e.raw)) wanted.set(e.raw, undefined);
  let left = wanted.size;
  const found = (item: unknown, path: () => string): boolean => {
    if (!isObject(item) || !wanted.has(item) || wanted.get(item) !== undefined) return false;
    wanted.set(item, path());
    return --left === 0;
  };
  envelope.entry.some((entry, i) => {
    const at = `$.entry[${i}]`;
    if (found(entry, () => at)) return true;
    const changes = isObject(entry) ? (entry as Record<string, unknown>)['changes'] : undefined;
    if (!Array.isArray(changes)) return false;
    return changes.some((change: unknown, j) => {
      if (found(change, () => `${at}.changes[${j}]`)) return true;
      const value = isObject(change) ? (change as Record<string, unknown>)['value'] : undefined;
      if (!isObject(value) || Array.isArray(value)) return false;
      if (found(value, () => `${at}.changes[${j}].value`)) return true;
      for (const [name, items] of Object.entries(value)) {
        if (!Array.isArray(items) || !PLAIN.test(name)) continue;
        for (let k = 0; k < items.length; k++)
          if (found(items[k], () => `${at}.changes[${j}].value.${name}[${k}]`)) return true;
      }
      return false;
    });
  });
  return events.map((e) => (isObject(e.raw) ? wanted.get(e.raw) : undefined));
}
