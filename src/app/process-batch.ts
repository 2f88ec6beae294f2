/**
 * One processing batch: claim → parse → normalize → derive → commit, each commit one transaction
 * so a crash anywhere changes nothing twice. A batch is one commit, or (role `all`, `slice`) one per
 * slice of whole deliveries: a delivery's events, state, outbox rows and outcome are always written
 * in one transaction. A delivery that is not a webhook envelope, or nests too deep to process, is
 * recorded `invalid` (never retried); one whose processing throws otherwise is counted and released
 * so it cannot block the ones behind it.
 */
import type {
  BatchResult,
  ClaimedDelivery,
  CommitOutcome,
  PreparedEvent,
  ProcessingStore,
} from '../ports/processing-store.js';
import type { OutboxTarget } from '../ports/outbox-target.js';
import { StorageError } from '../storage-error.js';
import { parseDelivery } from '../core/parse-delivery.js';
import { normalizeDelivery } from '../core/normalize-delivery.js';
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
  /**
   * Role `all`: the claimed deliveries are prepared in slices of at most `events` events (a delivery
   * is never split), each committed as a transaction of its own, and the event loop is let go
   * after each `ms` of this thread's time. When the event loop's other work took long, both grow
   * in proportion (to half that time, up to 10 × ms). The webhook's 200 then waits neither for a
   * whole batch's parsing nor for a whole batch's commit holding the write lock (docs/benchmarks.md
   * "End-to-end lag"). A slice's commit is called before the one before it has finished: only for a
   * store that commits its calls one at a time, in order. Undefined: the batch is one slice, one
   * commit.
   */
  readonly slice?: Slice;
}

export interface Slice {
  readonly ms: number;
  readonly events: number;
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
  const events: PreparedEvent[] = normalizeDelivery(parsed.envelope).map((event) => ({
    event,
    targets: targets.filter((t) => t.wants(event)).map((t) => t.id),
    changes: deriveStateChanges(event),
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

interface PreparedSlice {
  readonly processed: Processed[];
  readonly invalid: Rejected[];
  readonly failed: Rejected[];
  /** Index in the claim of the first delivery not in this slice. */
  readonly next: number;
}

/** Prepares claimed deliveries from `from` until they hold `maxEvents` events or `until` passed. */
function prepareSlice(
  claimed: readonly ClaimedDelivery[],
  from: number,
  targets: ReadonlyArray<OutboxTarget>,
  maxEvents: number,
  until: number,
): PreparedSlice {
  const processed: Processed[] = [];
  const invalid: Rejected[] = [];
  const failed: Rejected[] = [];
  let events = 0;
  let next = from;
  while (next < claimed.length) {
    const d = claimed[next++] as ClaimedDelivery;
    try {
      const r = prepareDelivery(d.id, d.body, targets);
      if ('invalid' in r) invalid.push(r.invalid);
      else {
        processed.push(r.processed);
        events += r.processed.events.length;
      }
    } catch (err) {
      const r = rejection(d.id, d.body, err, 'processing failed');
      if ('invalid' in r) invalid.push(r.invalid);
      else failed.push(r.failed);
    }
    if (events >= maxEvents || performance.now() >= until) break;
  }
  return { processed, invalid, failed, next };
}

export async function processBatch(options: ProcessBatchOptions): Promise<BatchStats> {
  let started = performance.now();
  const claiming = options.store.claimBatch(options.workerId, options.limit, options.leaseMs, options.now());
  let busyMs = performance.now() - started;
  const claimed = await claiming;
  const targets = typeof options.targets === 'function' ? options.targets() : options.targets;
  const bodies = new Map(claimed.map((d) => [d.id, d.body]));
  const commits: Array<Promise<CommitOutcome>> = [];
  let invalid = 0;
  let failed = 0;
  let now = options.now();
  let next = 0;
  const slice = options.slice;
  let budget = slice?.ms ?? Infinity;
  let turn = performance.now();
  do {
    if (slice !== undefined && next > 0 && performance.now() - turn >= budget) {
      // HTTP requests (and their 200s) run. The more time they took, the more the next turn here
      // may take (half as much, up to 10 × ms), and the larger its transactions (in proportion):
      // on a loaded machine each hand-off to the writer thread waits to be scheduled, and
      // processing would fall behind in small ones.
      const yielded = performance.now();
      await new Promise((r) => setImmediate(r));
      turn = performance.now();
      budget = Math.min(Math.max(slice.ms, (turn - yielded) / 2), slice.ms * 10);
    }
    started = performance.now();
    const maxEvents = slice === undefined ? Infinity : slice.events * (slice.ms > 0 ? budget / slice.ms : 1);
    const part = prepareSlice(claimed, next, targets, maxEvents, turn + budget);
    next = part.next;
    invalid += part.invalid.length;
    failed += part.failed.length;
    now = options.now();
    if (claimed.length > 0) {
      const { workerId, maxAttempts } = options;
      const result = { workerId, now, processed: part.processed, invalid: part.invalid, failed: part.failed };
      const commit = commitIsolating(options.store, { ...result, maxAttempts }, bodies);
      // Awaited below with the others; until then its failure must not count as unhandled.
      commit.catch(() => undefined);
      commits.push(commit);
    }
    busyMs += performance.now() - started;
  } while (next < claimed.length);
  const outcome = mergeOutcomes(await Promise.all(commits));
  return {
    claimed: claimed.length,
    outcome,
    invalid,
    failed,
    receivedAt: claimed.map((d) => d.receivedAt),
    committedAt: now,
    busyMs,
  };
}

function mergeOutcomes(outcomes: readonly CommitOutcome[]): CommitOutcome {
  if (outcomes.length === 1) return outcomes[0] as CommitOutcome;
  return {
    committed: outcomes.flatMap((o) => o.committed),
    duplicates: outcomes.reduce((n, o) => n + o.duplicates, 0),
    outboxRows: outcomes.reduce((n, o) => n + o.outboxRows, 0),
  };
}
