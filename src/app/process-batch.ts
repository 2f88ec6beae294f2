/**
 * One processing batch, in one transaction so a crash anywhere changes nothing twice: claim →
 * parse → normalize → derive → one commit. A delivery that is not a webhook envelope, or nests too
 * deep to process, is recorded `invalid` (never retried); one whose processing throws otherwise is
 * counted and released so it cannot block the ones behind it.
 */
import type {
  BatchResult,
  CommitOutcome,
  PreparedEvent,
  ProcessingStore,
} from '../ports/processing-store.js';
import type { OutboxTarget } from '../ports/outbox-target.js';
import { StorageError } from '../storage-error.js';
import { parseDelivery } from '../core/parse-delivery.js';
import { normalizeDelivery } from '../core/normalize-delivery.js';
import { itemPaths } from '../core/item-paths.js';
import { deriveStateChanges } from '../core/derive-state-changes.js';
import { tooDeep, tooDeepBody } from '../core/too-deep.js';

export interface ProcessBatchOptions {
  readonly store: ProcessingStore;
  /**
   * A function when targets change at run time (destinations). It is read once the claim is back:
   * a claim can wait (the writer thread booting, a lock), and a destination created meanwhile must
   * get rows for the deliveries it returns.
   */
  readonly targets: ReadonlyArray<OutboxTarget> | (() => ReadonlyArray<OutboxTarget>);
  readonly workerId: string;
  readonly limit: number;
  readonly leaseMs: number;
  /** Attempts after which a delivery whose processing keeps throwing becomes `invalid`. */
  readonly maxAttempts: number;
  readonly now: () => number;
}

export interface BatchStats {
  readonly claimed: number;
  readonly outcome: CommitOutcome;
  readonly invalid: number;
  readonly failed: number;
  /** received_at of each delivery that left the inbox (processing lag). */
  readonly receivedAt: readonly number[];
  readonly committedAt: number;
  /**
   * Milliseconds this batch held the calling thread: parsing, normalizing, deriving, and the
   * synchronous part of the commit call (all of it for an in-thread store, the hand-off for a
   * threaded one). Waiting for a worker's claim or commit is not counted: HTTP runs meanwhile.
   */
  readonly busyMs: number;
}

type Processed = BatchResult['processed'][number];
type Rejected = { readonly deliveryId: string; readonly error: string };

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

const startsWithBom = (b: Uint8Array) => b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;

/** Bytes → prepared events (targets and state changes computed here, outside the transaction). */
export function prepareDelivery(
  id: string,
  body: Uint8Array,
  targets: ReadonlyArray<OutboxTarget>,
): { processed: Processed } | { invalid: Rejected } {
  const deep = tooDeepBody(body);
  if (deep !== undefined) return { invalid: { deliveryId: id, error: `${deep.code}: ${deep.message}` } };
  const parsed = parseDelivery(body);
  if (!parsed.ok)
    return { invalid: { deliveryId: id, error: `${parsed.error.code}: ${parsed.error.message}` } };
  const normalized = normalizeDelivery(parsed.envelope);
  // A body after a byte order mark is not JSON to SQLite's functions: its items are read back as before.
  const paths = startsWithBom(body) ? [] : itemPaths(parsed.envelope, normalized);
  const events: PreparedEvent[] = normalized.map((event, i) => ({
    event,
    targets: targets.filter((t) => t.wants(event)).map((t) => t.id),
    changes: deriveStateChanges(event),
    rawAt: paths[i],
  }));
  return { processed: { deliveryId: id, events } };
}

/** Throwing while processing a delivery: invalid at once when the body nests too deep, else a failed attempt. */
function rejection(
  deliveryId: string,
  body: Uint8Array | undefined,
  err: unknown,
  what: string,
): { invalid: Rejected } | { failed: Rejected } {
  const deep = body === undefined ? undefined : tooDeep(body, err);
  if (deep !== undefined) return { invalid: { deliveryId, error: `${deep.code}: ${deep.message}` } };
  return { failed: { deliveryId, error: `${what}: ${message(err)}` } };
}

async function commitIsolating(
  store: ProcessingStore,
  result: BatchResult,
  bodies: ReadonlyMap<string, Uint8Array>,
): Promise<CommitOutcome> {
  try {
    return await store.commitBatch(result);
  } catch (err) {
    if (err instanceof StorageError) throw err;
    if (result.processed.length <= 1 && result.invalid.length + result.failed.length === 0) {
      const invalid: Rejected[] = [];
      const failed: Rejected[] = [];
      for (const delivery of result.processed) {
        const r = rejection(delivery.deliveryId, bodies.get(delivery.deliveryId), err, 'commit failed');
        if ('invalid' in r) invalid.push(r.invalid);
        else failed.push(r.failed);
      }
      return store.commitBatch({ ...result, processed: [], invalid, failed });
    }
    // A bug triggered by one delivery's data: commit them one by one so only that one is counted.
    const all = { committed: [] as CommitOutcome['committed'][number][], duplicates: 0, outboxRows: 0 };
    const parts: BatchResult[] = [
      ...result.processed.map((delivery) => ({ ...result, processed: [delivery], invalid: [], failed: [] })),
      { ...result, processed: [] },
    ];
    for (const part of parts) {
      const outcome = await commitIsolating(store, part, bodies);
      all.committed.push(...outcome.committed);
      all.duplicates += outcome.duplicates;
      all.outboxRows += outcome.outboxRows;
    }
    return all;
  }
}

export async function processBatch(options: ProcessBatchOptions): Promise<BatchStats> {
  let started = performance.now();
  const claiming = options.store.claimBatch(options.workerId, options.limit, options.leaseMs, options.now());
  let busyMs = performance.now() - started;
  const claimed = await claiming;
  started = performance.now();
  const targets = typeof options.targets === 'function' ? options.targets() : options.targets;
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
  const now = options.now();
  const committing =
    claimed.length === 0
      ? Promise.resolve({ committed: [], duplicates: 0, outboxRows: 0 })
      : commitIsolating(
          options.store,
          { workerId: options.workerId, now, processed, invalid, failed, maxAttempts: options.maxAttempts },
          new Map(claimed.map((d) => [d.id, d.body])),
        );
  busyMs += performance.now() - started;
  const outcome = await committing;
  return {
    claimed: claimed.length,
    outcome,
    invalid: invalid.length,
    failed: failed.length,
    receivedAt: claimed.map((d) => d.receivedAt),
    committedAt: now,
    busyMs,
  };
}
