/**
 * At most `perSecond` log lines of one kind per second; the lines over it are counted, and the
 * count is handed back once the second is over so a single line can say how many were left out.
 */
export class LineBudget {
  private windowStart = 0;
  private written = 0;
  private skipped = 0;

  constructor(
    readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether a line may be written now; `onSkippedBefore` is told how many were skipped in the last window. */
  admit(onSkippedBefore: (skipped: number) => void): boolean {
    const now = this.now();
    if (now - this.windowStart >= 1000) {
      if (this.skipped > 0) onSkippedBefore(this.skipped);
      this.windowStart = now;
      this.written = 0;
      this.skipped = 0;
    }
    if (this.written >= this.perSecond) {
      this.skipped++;
      return false;
    }
    this.written++;
    return true;
  }
}
