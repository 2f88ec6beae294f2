/**
 * Runs `once` one call at a time: a call made while it runs is not run beside it but makes it run
 * once more afterwards (notices that arrive during a read are not lost, and never read in parallel),
 * as long as `wanted()` still holds.
 */
export class CoalescedRun {
  private running = false;
  private again = false;

  constructor(
    private readonly once: () => Promise<void>,
    private readonly wanted: () => boolean,
  ) {}

  async run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        await this.once();
      } while (this.again && this.wanted());
    } finally {
      this.running = false;
    }
  }
}
