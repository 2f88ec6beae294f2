/**
 * Worker thread that owns the processing store's write connection, in a process that also takes
 * webhooks (role `all`). It runs whole batches (`process`): claim, parse, normalize, derive
 * (src/core/prepare-batch.ts) and commit, so the HTTP event loop only hands over the request and
 * reads the result (docs/benchmarks.md "The webhook's ack beside processing"). The outbox targets
 * live in the main thread: once the claim is back it asks for them (a `hop`) and gets their rules
 * (src/core/target-rule.ts). The committed events go back as JSON text, which the main thread
 * parses only if something reads them (threaded-processing-store.ts, committed-json.ts). `claim` and `commit`
 * remain for a process whose targets cannot all cross (a handler with a `where` function): it
 * prepares batches itself and hands over commit-rows.ts's values.
 * SQLite's busy waits (the inbox writer holds the same write lock) and the commit never block
 * the HTTP event loop here.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { TransferBatch } from './commit-rows.js';
import type { AnyWharfEvent } from '../../events/wharf-event.js';
import type { BatchRequest, CommitOutcome, EventTally } from '../../ports/processing-store.js';
import { StorageError } from '../../storage-error.js';
import { SqliteProcessingStore } from './processing-store.js';
import { wamidsOf } from './commit-notices.js';
import { committedJson, type CommittedText } from './committed-json.js';
import { prepareBatch } from '../../core/prepare-batch.js';
import { commitIsolating } from '../../core/commit-isolating.js';
import { eventTally } from '../../core/event-tally.js';
import { wantsOfRule, type TargetRule } from '../../core/target-rule.js';

export type WriterRequest =
  | { seq: number; op: 'claim'; args: [string, number, number, number] }
  | { seq: number; op: 'commit'; batch: TransferBatch }
  | { seq: number; op: 'process'; request: BatchRequest }
  | { seq: number; op: 'release'; args: [string, string[]] }
  | { seq: number; op: 'close' };

/** The main thread's answer to a hop: the targets' ids and rules, or null when one has no rule. */
export type TargetsMessage = { seq: number; op: 'targets'; targets: RuleTarget[] | null; now: number };
export type RuleTarget = { readonly id: string; readonly rule: TargetRule };

/** What a `process` request answers. */
export interface ProcessedReply {
  readonly claimed: number;
  readonly invalid: number;
  readonly failed: number;
  readonly receivedAt: number[];
  readonly committedAt: number;
  readonly busyMs: number;
  /** The longest of the batch's claim and commit transactions, ms (BatchRun.lockMs). */
  readonly lockMs: number;
  readonly duplicates: number;
  readonly outboxRows: number;
  readonly tally: EventTally;
  /** The committed events' last id and the wamids they touched ('' and [] for none). */
  readonly lastEventId: string;
  /**
   * Their first id when their ids run without a gap from it to lastEventId (no other commit took one
   * in between), else '': the read store then serves reads of that range from them (commit-notices.ts).
   */
  readonly firstEventId: string;
  readonly wamids: string[];
  /** The committed events (in id order) as JSON text, each `raw` apart (committed-json.ts). */
  readonly committed: CommittedText;
}

const { path, busyTimeoutMs } = workerData as { path: string; busyTimeoutMs: number };
// No SQLite busy handler here: its sleeps grow to 100 ms while the inbox writer commits every
// millisecond or two, which showed as 100–300 ms of processing lag. Retrying every 0.5 ms instead
// takes the write lock in the first gap between two group commits.
// The inbox's checkpointer thread runs in every SQLite process (every role serves the webhook, and
// src/server/start-server.ts opens the inbox at start), so commits here leave checkpoints to it.
const store = new SqliteProcessingStore(path, { busyTimeoutMs: 0, backgroundCheckpoints: true });
const pause = new Int32Array(new SharedArrayBuffer(4));

async function withBusyRetry<T>(fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + busyTimeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      const busy = err instanceof StorageError && /SQLITE_BUSY/.test(err.message);
      if (!busy || Date.now() > deadline) throw err;
      Atomics.wait(pause, 0, 0, 0.5);
    }
  }
}

/** Targets' predicates by rule, made once (a destination's filter compiles its patterns). */
const compiled = new Map<string, (event: AnyWharfEvent) => boolean>();
function wantsOf(rule: TargetRule): (event: AnyWharfEvent) => boolean {
  const key = JSON.stringify(rule);
  let wants = compiled.get(key);
  if (wants === undefined) {
    if (compiled.size > 1000) compiled.clear();
    compiled.set(key, (wants = wantsOfRule(rule)));
  }
  return wants;
}

const hops = new Map<number, (answer: TargetsMessage) => void>();

function targetsAfterClaim(seq: number): Promise<TargetsMessage> {
  return new Promise((resolve) => {
    hops.set(seq, resolve);
    parentPort?.postMessage({ seq, hop: true });
  });
}

const isStorageFailure = (err: unknown) => err instanceof StorageError;
const NOTHING: CommitOutcome = { committed: [], duplicates: 0, outboxRows: 0 };

async function processBatch(seq: number, r: BatchRequest): Promise<ProcessedReply> {
  store.takeLongestHold();
  const claimed = await withBusyRetry(() => store.claimBatch(r.workerId, r.limit, r.leaseMs, r.now));
  let busyMs = 0;
  let outcome = NOTHING;
  let invalid = 0;
  let failed = 0;
  // The commit's clock: the processor's once the claim is back (its injected clock holds here too).
  let now = r.now;
  if (claimed.length > 0) {
    const { targets: given, now: nowAfterClaim } = await targetsAfterClaim(seq);
    now = nowAfterClaim;
    if (given === null) {
      await withBusyRetry(() =>
        store.releaseLeases(
          r.workerId,
          claimed.map((d) => d.id),
        ),
      );
      throw new Error('an outbox target without a rule: this batch is prepared in the main thread');
    }
    const started = performance.now();
    const prepared = prepareBatch(
      claimed,
      given.map((t) => ({ id: t.id, wants: wantsOf(t.rule) })),
    );
    busyMs = performance.now() - started;
    invalid = prepared.invalid.length;
    failed = prepared.failed.length;
    outcome = await commitIsolating(
      (result) => withBusyRetry(async () => store.commitBatch(result)),
      isStorageFailure,
      { workerId: r.workerId, now, maxAttempts: r.maxAttempts, ...prepared },
      new Map(claimed.map((d) => [d.id, d.body])),
    );
  }
  const gapless = outcome.committed.every(
    (c, i) => i === 0 || Number(c.id) === Number(outcome.committed[i - 1]?.id) + 1,
  );
  return {
    claimed: claimed.length,
    invalid,
    failed,
    receivedAt: claimed.map((d) => d.receivedAt),
    committedAt: now,
    busyMs,
    lockMs: store.takeLongestHold(),
    duplicates: outcome.duplicates,
    outboxRows: outcome.outboxRows,
    tally: eventTally(outcome.committed),
    lastEventId: outcome.committed.at(-1)?.id ?? '',
    firstEventId: gapless ? (outcome.committed[0]?.id ?? '') : '',
    wamids: wamidsOf(outcome.committed),
    committed: committedJson(outcome.committed),
  };
}

async function handle(req: WriterRequest): Promise<unknown> {
  switch (req.op) {
    case 'claim':
      return withBusyRetry(() => store.claimBatch(...req.args));
    case 'commit': {
      // Only ids travel back: the main thread still holds the events.
      return withBusyRetry(async () => store.commitTransferred(req.batch));
    }
    case 'process':
      return processBatch(req.seq, req.request);
    case 'release':
      return withBusyRetry(() => store.releaseLeases(...req.args));
    case 'close':
      await store.close();
      return null;
  }
}

parentPort?.on('message', (req: WriterRequest | TargetsMessage) => {
  if (req.op === 'targets') {
    const answer = hops.get(req.seq);
    hops.delete(req.seq);
    answer?.(req);
    return;
  }
  handle(req).then(
    (value) => {
      parentPort?.postMessage({ seq: req.seq, value });
      if (req.op === 'close') parentPort?.close();
    },
    (err: unknown) =>
      parentPort?.postMessage({
        seq: req.seq,
        error: {
          message: err instanceof Error ? err.message : String(err),
          transient: err instanceof StorageError,
        },
      }),
  );
});
