/**
 * Writes the outcomes of finished attempts for the dispatcher (src/app/dispatcher.ts): gathered for
 * FLUSH_EVERY_MS, then delivered rows in one call and failures in another, then one report per row.
 */
import type { ClaimedRow } from '../ports/outbox.js';
import type { AttemptReport, DispatchTarget, DispatcherOptions } from './dispatch-target.js';
import { describeError } from './decide-failure.js';
import { sortOutcomes, type Settled } from './sort-outcomes.js';

/**
 * How long a finished attempt's outcome may wait to be written with others. Its slot is free at
 * once; only the row's place in the prefetch window waits. 2 ms made a transaction on the dispatch
 * thread for every few rows of an http drain (its writer thread 26-27 µs per event, 20-23 at 10 ms).
 */
const FLUSH_EVERY_MS = 10;

export interface OutcomeWriterOptions extends Pick<
  DispatcherOptions,
  'outbox' | 'workerId' | 'now' | 'policy' | 'random' | 'logger' | 'onAttempt'
> {
  readonly targetOf: (row: ClaimedRow) => DispatchTarget | undefined;
  /** After each write (whether or not it succeeded): these rows may be claimed here again. */
  readonly written: (rows: readonly ClaimedRow[]) => void;
}

export class OutcomeWriter {
  private settled: Settled[] = [];
  private flushing: Promise<void> | undefined;

  constructor(private readonly o: OutcomeWriterOptions) {}

  add(outcomes: readonly Settled[]): void {
    this.settled.push(...outcomes);
    this.flushSoon();
  }

  /** Resolves once every outcome added so far is written (a flush that ends with more starts another). */
  async drained(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  /**
   * Outcomes finished within FLUSH_EVERY_MS are written together: one message to the SQLite
   * dispatch thread per flush cost more main-thread time than the HTTP POST when it was one per row.
   */
  private flushSoon(): void {
    if (this.flushing) return;
    this.flushing = new Promise<void>((r) => setTimeout(r, FLUSH_EVERY_MS))
      .then(() => this.flush())
      .finally(() => {
        this.flushing = undefined;
        if (this.settled.length > 0) this.flushSoon();
      });
  }

  /** Records every outcome gathered since the last flush in two calls, then hands the rows back. */
  private async flush(): Promise<void> {
    const batch = this.settled;
    this.settled = [];
    const now = this.o.now();
    const { delivered, covered, failed, reports } = sortOutcomes(batch, now, this.o.targetOf, {
      policy: this.o.policy,
      random: this.o.random,
    });
    try {
      await this.o.outbox.markDelivered(this.o.workerId, delivered, now, covered);
      await this.o.outbox.markFailed(this.o.workerId, failed, now);
    } catch (err) {
      // Leases still hold these rows; when they expire the rows are tried again (at least once).
      this.o.logger.error(
        { err: describeError(err), rows: batch.length },
        'could not record handler outcomes',
      );
    }
    this.o.written(batch.map((b) => b.row));
    for (const r of reports) this.report(r);
  }

  private report(r: AttemptReport): void {
    try {
      this.o.onAttempt?.(r);
    } catch (err) {
      this.o.logger.error({ err: String(err) }, 'attempt listener threw');
    }
  }
}
