/**
 * Replay, once for every caller: `wharf replay` and the API (POST /api/v1/dead-letters/{id}/replay,
 * POST /api/v1/replay) each parse their input into a ReplayJob, run it here, and render the typed
 * result in their own words and status codes.
 */
import type { Outbox, OutboxRow, ReplayMode, ReplaySummary } from '../ports/outbox.js';
import type { ReplayRequest } from '../core/replay-request.js';

export type ReplayJob = { readonly kind: 'dead-letter'; readonly id: string } | ReplayRequest;

export type ReplayResult =
  /** The dead letter is pending again, attempts from 0. */
  | { readonly kind: 'dead-letter'; readonly outcome: 'replayed'; readonly row: OutboxRow }
  /** The row exists but is pending or delivered: nothing changed. */
  | { readonly kind: 'dead-letter'; readonly outcome: 'not_dead'; readonly row: OutboxRow }
  | { readonly kind: 'dead-letter'; readonly outcome: 'not_found'; readonly id: string }
  | {
      readonly kind: 'delivery' | 'range';
      readonly outcome: 'requeued';
      readonly mode: ReplayMode;
      readonly summary: ReplaySummary;
    }
  | { readonly kind: 'delivery'; readonly outcome: 'not_found'; readonly id: string }
  /** No delivery was received in [from, to): nothing to do (the API still answers 202). */
  | {
      readonly kind: 'range';
      readonly outcome: 'empty';
      readonly mode: ReplayMode;
      readonly from: number;
      readonly to: number;
    };

/**
 * Runs one replay. `wake` (the dispatcher and the processor of this process, if any) is called when
 * something was queued again, so it is handled now rather than at the next poll.
 */
export async function replay(
  outbox: Outbox,
  job: ReplayJob,
  now: number,
  wake: () => void = () => undefined,
): Promise<ReplayResult> {
  const result = await run(outbox, job, now);
  if (result.outcome === 'replayed' || result.outcome === 'requeued') wake();
  return result;
}

async function run(outbox: Outbox, job: ReplayJob, now: number): Promise<ReplayResult> {
  if (job.kind === 'dead-letter') {
    const replayed = await outbox.replayDeadLetter(job.id, now);
    if (replayed.outcome === 'not_found') return { kind: 'dead-letter', outcome: 'not_found', id: job.id };
    return { kind: 'dead-letter', outcome: replayed.outcome, row: replayed.row };
  }
  if (job.kind === 'delivery') {
    const summary = await outbox.requeueForDeliveries([job.deliveryId], job.mode, now);
    if (summary.deliveries === 0) return { kind: 'delivery', outcome: 'not_found', id: job.deliveryId };
    return { kind: 'delivery', outcome: 'requeued', mode: job.mode, summary };
  }
  const summary = await outbox.replayRange(job.from, job.to, job.mode, now);
  if (summary.deliveries === 0)
    return { kind: 'range', outcome: 'empty', mode: job.mode, from: job.from, to: job.to };
  return { kind: 'range', outcome: 'requeued', mode: job.mode, summary };
}
