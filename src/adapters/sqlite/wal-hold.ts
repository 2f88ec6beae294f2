/**
 * How the WAL checkpointer (checkpointer-worker.ts) gets the inbox writer (inbox-writer-worker.ts)
 * to stand still between two group commits while it checkpoints the last frames, so that the
 * writer's next transaction finds every frame checkpointed and SQLite restarts the WAL from its
 * first frame (wal.c, walRestartLog). Without it, under continuous load, a checkpoint never ends
 * in a gap between commits: the WAL grows by tens of MB, and every commit appends to it, which
 * makes each commit's fsync an ext4 journal commit that waits for the blocks the checkpoint wrote
 * (docs/benchmarks.md, "The pinned p99 outlier").
 *
 * One Int32Array on shared memory, one slot: IDLE, ASKED (the checkpointer wants a hold), HELD
 * (the writer is between transactions and waits). The writer holds for at most `maxHoldMs` and
 * only when asked, at most once per checkpoint pass (checkpoint-pass.ts asks once the WAL holds
 * 32 MB); the checkpointer gives up asking after `askMs` (a writer with nothing to commit adds no
 * frames anyway).
 */

/**
 * Longest the writer stands still for one checkpoint: about one group commit's fsync on this
 * machine's disk (docs/benchmarks.md, "A WAL that wraps"). Past it the writer goes on, the
 * checkpoint too, and the WAL restarts after a later pass.
 */
export const WAL_HOLD_MAX_MS = 10;

const IDLE = 0;
const ASKED = 1;
const HELD = 2;

export function newWalHold(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

/**
 * Writer side, between transactions: when the checkpointer asked, waits until it is done or
 * `maxHoldMs` passed. Returns whether it held. One atomic operation when nobody asked.
 */
export function holdIfAsked(hold: Int32Array, maxHoldMs: number): boolean {
  if (Atomics.compareExchange(hold, 0, ASKED, HELD) !== ASKED) return false;
  Atomics.notify(hold, 0);
  Atomics.wait(hold, 0, HELD, maxHoldMs);
  // Timed out: stop holding (done: the checkpointer has set IDLE already).
  if (Atomics.compareExchange(hold, 0, HELD, IDLE) === HELD) Atomics.notify(hold, 0);
  return true;
}

/**
 * Checkpointer side: asks the writer to hold, waits up to `askMs` for it to, runs `work` (held
 * or not), then lets the writer go. `came`: the writer stopped between two commits before `work`
 * began; `held`: it stood still through all of `work` (not when it gave up first, after its own
 * `maxHoldMs`). Should someone else be asking (only a test does), it waits its turn within
 * `askMs`.
 */
export function whileWriterHeld<T>(
  hold: Int32Array,
  askMs: number,
  work: () => T,
): { came: boolean; held: boolean; result: T } {
  const deadline = performance.now() + askMs;
  const left = () => Math.max(0, deadline - performance.now());
  let asked = false;
  for (;;) {
    const now = Atomics.compareExchange(hold, 0, IDLE, ASKED);
    if (now === IDLE) {
      asked = true;
      Atomics.wait(hold, 0, ASKED, left());
      break;
    }
    if (left() === 0) break;
    Atomics.wait(hold, 0, now, left());
  }
  // Still ASKED: the writer did not come; withdraw the request before working.
  const came = asked && Atomics.compareExchange(hold, 0, ASKED, IDLE) !== ASKED;
  if (asked && !came) Atomics.notify(hold, 0);
  let held = false;
  try {
    const result = work();
    held = came && Atomics.load(hold, 0) === HELD;
    return { came, held, result };
  } finally {
    if (came && Atomics.compareExchange(hold, 0, HELD, IDLE) === HELD) Atomics.notify(hold, 0);
  }
}
