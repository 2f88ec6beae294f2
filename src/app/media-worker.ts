/**
 * The background media worker of a processing process (docs/sending.md, "Media"): claims due media rows under a
 * lease (one download per media id, whichever process claims), captures each, and records the
 * outcome: stored; retried with backoff until Meta's 7 days run out; or given up, with
 * `wharf.media.failed`. It never touches the processing path: events commit whatever happens here.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../observability/create-logger.js';
import type { MediaDownloads, MediaRecord } from '../ports/media-downloads.js';
import type { AnyWharfEvent } from '../events/wharf-event.js';
import { nextMediaStep } from '../core/media/media-schedule.js';
import { mediaFailedEvent } from '../core/destinations/operational-event.js';
import { captureMedia, CaptureFailure, type CaptureDeps } from './capture-media.js';

export interface MediaWorkerOptions {
  readonly downloads: MediaDownloads;
  readonly capture: CaptureDeps;
  readonly now: () => number;
  readonly random: () => number;
  readonly logger: Logger;
  /** Stores a `wharf.*` event (and hands it to the destinations that want it). */
  readonly emit: (event: AnyWharfEvent) => Promise<void>;
  /** Downloads at once in this process. */
  readonly concurrency?: number;
  /** A claimed row's lease; a download still running when it ends is aborted (another process may take it). */
  readonly leaseMs?: number;
  /** Longest sleep between looks at due rows without a wake-up. */
  readonly pollMs?: number;
  readonly onOutcome?: (outcome: 'stored' | 'retry' | 'failed', record: MediaRecord) => void;
}

export class MediaWorker {
  private readonly owner = `media-${randomBytes(4).toString('hex')}`;
  private readonly running = new Set<Promise<void>>();
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private pumping: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(private readonly o: MediaWorkerOptions) {}

  private get concurrency() {
    return this.o.concurrency ?? 4;
  }
  private get leaseMs() {
    return this.o.leaseMs ?? 10 * 60_000;
  }

  start(): void {
    this.stopped = false;
    this.wake();
  }

  /** Rows may be due (a media item was registered, a download finished). Cheap to call often. */
  wake(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.pumping = this.pump().finally(() => {
      this.pumping = undefined;
      if (this.stopped) return;
      if (this.again) {
        this.again = false;
        this.wake();
      } else this.timer = setTimeout(() => this.wake(), this.o.pollMs ?? 1000).unref();
    });
  }

  private async pump(): Promise<void> {
    const free = this.concurrency - this.running.size;
    if (free <= 0) return;
    let claimed: MediaRecord[];
    try {
      claimed = await this.o.downloads.claim(this.owner, this.o.now(), this.leaseMs, free);
    } catch (err) {
      this.o.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'media claim failed');
      return;
    }
    for (const record of claimed) {
      const run = this.run(record).finally(() => {
        this.running.delete(run);
        this.wake();
      });
      this.running.add(run);
    }
  }

  private async run(record: MediaRecord): Promise<void> {
    const signal = AbortSignal.any([
      this.controller.signal,
      AbortSignal.timeout(Math.max(1000, this.leaseMs - 5000)),
    ]);
    try {
      const stored = await captureMedia(record, this.o.capture, signal);
      if (await this.o.downloads.markStored(record.mediaId, this.owner, stored, this.o.now()))
        this.o.onOutcome?.('stored', record);
      this.o.logger.info(
        { mediaId: record.mediaId, wamid: record.wamid, size: stored.size, sha256: stored.contentSha256 },
        'media stored',
      );
    } catch (err) {
      if (this.stopped) {
        // Shutting down: due again at once for whichever process runs next (not after the lease).
        const now = this.o.now();
        await this.o.downloads
          .retry(record.mediaId, this.owner, now, 'interrupted by shutdown', now)
          .catch(() => undefined);
        return;
      }
      await this.failed(record, err).catch((e: unknown) =>
        this.o.logger.warn(
          { mediaId: record.mediaId, err: e instanceof Error ? e.message : String(e) },
          'media outcome not recorded',
        ),
      );
    }
  }

  private async failed(record: MediaRecord, err: unknown): Promise<void> {
    const error = err instanceof Error ? err.message : String(err);
    const now = this.o.now();
    const attempts = record.attempts + 1;
    const step =
      err instanceof CaptureFailure && err.permanent
        ? ({ giveUp: true } as const)
        : nextMediaStep(attempts, now, record.giveUpAt, this.o.random());
    const log = { mediaId: record.mediaId, wamid: record.wamid, attempts, err: error };
    if ('retryAt' in step) {
      if (await this.o.downloads.retry(record.mediaId, this.owner, step.retryAt, error, now))
        this.o.onOutcome?.('retry', record);
      this.o.logger.info({ ...log, nextAttemptAt: step.retryAt }, 'media download failed; will retry');
      return;
    }
    if (!(await this.o.downloads.markFailed(record.mediaId, this.owner, error, now))) return;
    this.o.onOutcome?.('failed', record);
    this.o.logger.warn(log, 'media download given up');
    const data = {
      mediaId: record.mediaId,
      wamid: record.wamid,
      phoneNumberId: record.phoneNumberId,
      attempts,
      error,
    };
    await this.o.emit(mediaFailedEvent(data, now) as AnyWharfEvent);
  }

  /** Aborts downloads in flight (their leases run out; a later start retries them) and waits for them. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.controller.abort();
    await this.pumping;
    await Promise.allSettled([...this.running]);
  }
}
