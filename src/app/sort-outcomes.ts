import type { AttemptFailure, ClaimedRow, Coverage } from '../ports/outbox.js';
import type { RetryPolicy } from '../core/retry-schedule.js';
import type { AttemptReport, DispatchTarget } from './dispatch-target.js';
import type { AttemptResult } from './run-attempt.js';
import { decideFailure, interruptedAttempt } from './decide-failure.js';

/** A finished attempt on one row. */
export interface Settled {
  readonly row: ClaimedRow;
  readonly result: AttemptResult;
}

export interface SortedOutcomes {
  readonly delivered: string[];
  readonly covered: Coverage[];
  readonly failed: AttemptFailure[];
  readonly reports: AttemptReport[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The report of one attempt, built as one object (the hot path of a drain: no spreads). */
function report(
  row: ClaimedRow,
  durationMs: number,
  outcome: AttemptReport['outcome'],
): Mutable<AttemptReport> {
  const r: Mutable<AttemptReport> = {
    rowId: row.id,
    target: row.target,
    event: row.event,
    attempt: row.attempts + 1,
    durationMs,
    outcome,
  };
  if (row.eventId !== undefined) r.eventId = row.eventId;
  return r;
}

/**
 * What to write for a batch of finished attempts: delivered rows (and the rows their bodies
 * covered), failures decided by their target (or the retry policy; an interrupted attempt is due
 * again at once), and one report per row.
 */
export function sortOutcomes(
  batch: readonly Settled[],
  now: number,
  targetOf: (row: ClaimedRow) => DispatchTarget | undefined,
  o: { readonly policy: RetryPolicy; readonly random: () => number },
): SortedOutcomes {
  const out: SortedOutcomes = { delivered: [], covered: [], failed: [], reports: [] };
  for (const { row, result } of batch) {
    const target = targetOf(row);
    if (result.ok) {
      out.delivered.push(row.id);
      const wamids = target?.coverage?.(row);
      if (wamids !== undefined && wamids.length > 0) out.covered.push({ rowId: row.id, wamids });
      out.reports.push(report(row, result.ms, 'delivered'));
      continue;
    }
    const f = result.interrupted
      ? interruptedAttempt(row, result.error, now)
      : target?.decide
        ? target.decide(row, result.error, now)
        : decideFailure(o.policy, row, result.error, now, o.random);
    out.failed.push(f);
    const r = report(row, result.ms, f.kind);
    r.error = result.error;
    if (f.kind === 'retry') r.nextAttemptAt = f.retryAt;
    out.reports.push(r);
  }
  return out;
}
