/**
 * A claimed batch's deliveries, bytes → prepared events: parse, normalize, the outbox targets that
 * want each event and its state changes, all outside the transaction. A delivery that is not a
 * webhook envelope, or nests too deep to process, is `invalid` (never retried); one whose
 * processing throws otherwise is `failed` (an attempt counted, its lease released). Pure; run by
 * the processor (src/app/process-batch.ts) or by a storage thread that processes batches itself
 * (src/adapters/sqlite/processing-writer-worker.ts).
 */
import type { BatchResult, ClaimedDelivery } from '../ports/processing-store.js';
import type { OutboxTarget } from '../ports/outbox-target.js';
import { parseDelivery } from './parse-delivery.js';
import { normalizeDelivery } from './normalize-delivery.js';
import { itemPaths } from './item-paths.js';
import { deriveStateChanges } from './derive-state-changes.js';
import { tooDeep, tooDeepBody } from './too-deep.js';

type Processed = BatchResult['processed'][number];
export type Rejected = { readonly deliveryId: string; readonly error: string };

export interface PreparedBatch {
  readonly processed: Processed[];
  readonly invalid: Rejected[];
  readonly failed: Rejected[];
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

const startsWithBom = (b: Uint8Array) => b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;

/** Bytes → prepared events (targets and state changes computed here, outside the transaction). */
export function prepareDelivery(
  id: string,
  body: Uint8Array,
  targets: ReadonlyArray<Pick<OutboxTarget, 'id' | 'wants'>>,
): { processed: Processed } | { invalid: Rejected } {
  const deep = tooDeepBody(body);
  if (deep !== undefined) return { invalid: { deliveryId: id, error: `${deep.code}: ${deep.message}` } };
  const parsed = parseDelivery(body);
  if (!parsed.ok)
    return { invalid: { deliveryId: id, error: `${parsed.error.code}: ${parsed.error.message}` } };
  const normalized = normalizeDelivery(parsed.envelope);
  // A body after a byte order mark is not JSON to SQLite's functions: its items are read back as before.
  const paths = startsWithBom(body) ? [] : itemPaths(parsed.envelope, normalized);
  const events = normalized.map((event, i) => ({
    event,
    targets: targets.filter((t) => t.wants(event)).map((t) => t.id),
    changes: deriveStateChanges(event),
    rawAt: paths[i],
  }));
  return { processed: { deliveryId: id, events } };
}

/** Throwing while processing a delivery: invalid at once when the body nests too deep, else a failed attempt. */
export function rejection(
  deliveryId: string,
  body: Uint8Array | undefined,
  err: unknown,
  what: string,
): { invalid: Rejected } | { failed: Rejected } {
  const deep = body === undefined ? undefined : tooDeep(body, err);
  if (deep !== undefined) return { invalid: { deliveryId, error: `${deep.code}: ${deep.message}` } };
  return { failed: { deliveryId, error: `${what}: ${message(err)}` } };
}

/** Every claimed delivery prepared, invalid or failed, in claim order. */
export function prepareBatch(
  claimed: readonly ClaimedDelivery[],
  targets: ReadonlyArray<Pick<OutboxTarget, 'id' | 'wants'>>,
): PreparedBatch {
  const processed: Processed[] = [];
  const invalid: Rejected[] = [];
  const failed: Rejected[] = [];
  for (const d of claimed) {
    try {
      const r = prepareDelivery(d.id, d.body, targets);
      if ('invalid' in r) invalid.push(r.invalid);
      else processed.push(r.processed);
    } catch (err) {
      const r = rejection(d.id, d.body, err, 'processing failed');
      if ('invalid' in r) invalid.push(r.invalid);
      else failed.push(r.failed);
    }
  }
  return { processed, invalid, failed };
}
