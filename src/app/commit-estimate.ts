/** Weight of the newest commit in the running estimate. */
const RECENT_WEIGHT = 0.2;

/**
 * How long a group commit takes, from the commits measured lately: a running average of their
 * duration and of their size. Nothing measured yet: 0 (an idle committer admits, and measures).
 */
export class CommitEstimate {
  private ms = 0;
  private size = 1;
  private measured = false;

  /** A commit of `size` deliveries took `ms`. */
  record(size: number, ms: number): void {
    const weight = this.measured ? RECENT_WEIGHT : 1;
    this.measured = true;
    this.ms += weight * (ms - this.ms);
    this.size += weight * (size - this.size);
  }

  /** Expected duration of a commit of `size` deliveries: as long as recent ones, longer in proportion when larger. */
  durationMs(size: number): number {
    return this.ms * Math.max(1, size / this.size);
  }
}
