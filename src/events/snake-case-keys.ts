/**
 * The JSON Wharf emits is snake_case, like Meta's own payloads and every /api/v1 answer; the
 * TypeScript event model is camelCase. This converts one to the other, pure and recursive.
 */
import { boundedMemo } from '../util/bounded-memo.js';

/**
 * Keys whose value is kept exactly as it arrived, never renamed inside: Meta's own objects that
 * Wharf keeps as sent (`raw` of a shared contact, `details` of account.update, `calling` of
 * account.settings) and the user's Flow answer (`response` of message.nfm_reply), whose keys are
 * the business's own form field names. Renaming inside them would change data Wharf does not own.
 */
const VERBATIM_KEYS: ReadonlySet<string> = new Set(['raw', 'response', 'details', 'calling']);

/**
 * Keys seen, converted: event data has a few dozen distinct keys, and a regular-expression replace
 * per key was most of formatting an event body for a destination (docs/benchmarks.md, "CPU per
 * delivered event"). Emptied when full, so keys that are data (not names) cannot grow it unbounded.
 */
const convert = boundedMemo(4096, (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));

/** `phoneNumberId` → `phone_number_id`; keys already in snake_case are unchanged. */
export function snakeCase(key: string): string {
  return convert(key);
}

/**
 * A copy of `value` with every object key in snake_case, at every depth, except below the keys in
 * `verbatim` (by default the event data's objects kept as sent; a caller whose maps are keyed by
 * data, such as wamids or error codes, names those). Arrays keep their order; `undefined` members
 * are dropped as JSON.stringify would.
 */
export function snakeCaseKeys(value: unknown, verbatim: ReadonlySet<string> = VERBATIM_KEYS): unknown {
  if (Array.isArray(value)) return value.map((item: unknown) => snakeCaseKeys(item, verbatim));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined) continue;
    out[snakeCase(key)] = verbatim.has(key) ? member : snakeCaseKeys(member, verbatim);
  }
  return out;
}
