/** Weight of the newest commit in the running estimate. */
const RECENT_WEIGHT = 0.2;

/**
 * How long a group commit takes, from the commits measured lately: a running average of their
 * duration. Nothing measured yet: 0 (an idle committer admits, and measures). Not scaled by the
 * batch's size: a group commit's cost is mostly its fsync, and a batch grown large behind one slow
 * commit does not take longer in proportion (scaling by size shed POSTs at a third of capacity,
 * while the answers it predicted late came in well under the target).
 */
export class CommitEstimate {
  private ms = 0;
  private measured = false;

  /** A commit took `ms`. */
  record(ms: number): void {
    const weight = this.measured ? RECENT_WEIGHT : 1;
    this.measured = true;
    this.ms += weight * (ms - this.ms);
  }

  /** Expected duration of the next commit: as long as recent ones. */
  durationMs(): number {
    return this.ms;
  }
}
