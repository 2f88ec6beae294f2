/**
 * Gathers destination attempts and writes them in batches (at most one transaction per
 * WRITE_EVERY_MS, not one per attempt): the attempt log, and the failing clock of each destination.
 * On SQLite each write runs on the main thread and may wait for the write lock behind the inbox's
 * and the processor's commits, so fewer, larger writes keep the webhook's acknowledgements fast.
 */
import type { DestinationStore, NewAttempt } from '../ports/destination-store.js';
import type { Logger } from '../observability/create-logger.js';

/** The attempt log is for people: a tenth of a second late costs them nothing. */
const WRITE_EVERY_MS = 100;

export class AttemptRecorder {
  private attempts: NewAttempt[] = [];
  private writing: Promise<void> | undefined;

  constructor(
    private readonly store: DestinationStore,
    private readonly logger: Logger,
  ) {}

  record(a: NewAttempt): void {
    this.attempts.push(a);
    this.schedule();
  }

  private schedule(): void {
    this.writing ??= new Promise<void>((r) => setTimeout(r, WRITE_EVERY_MS))
      .then(() => this.write())
      .finally(() => {
        this.writing = undefined;
        if (this.attempts.length > 0) this.schedule();
      });
  }

  /** Resolves when everything recorded so far is written. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async write(): Promise<void> {
    const batch = this.attempts;
    this.attempts = [];
    // Per destination, the last outcome of the batch decides whether its failing clock runs.
    const last = new Map<string, boolean>();
    for (const a of batch) last.set(a.destinationId, a.ok);
    const ok = [...last].filter(([, v]) => v).map(([id]) => id);
    const failed = [...last].filter(([, v]) => !v).map(([id]) => id);
    const at = batch.reduce((m, a) => Math.min(m, a.at), Number.MAX_SAFE_INTEGER);
    try {
      await this.store.recordAttempts(batch);
      await this.store.noteOutcomes(ok, failed, at);
    } catch (err) {
      // The log is for people; the outbox row's own outcome is recorded by the dispatcher either way.
      this.logger.error(
        { err: err instanceof Error ? err.message : String(err), attempts: batch.length },
        'could not record destination attempts',
      );
    }
  }
}
