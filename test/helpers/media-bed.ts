/**
 * A media worker on a real database, a real media directory and the local Graph API mock, with
 * one injected clock for both sides (Meta's 5-minute URLs, Wharf's backoff and 7 days): tests move
 * time forward instead of waiting.
 */
import { join } from 'node:path';
import { createLogger } from '../../src/observability/create-logger.js';
import { startGraphMock, type GraphMock } from '../../src/testing/graph-mock/start-graph-mock.js';
import type { MediaDownloads, MediaRecord } from '../../src/ports/media-downloads.js';
import type { MediaItem } from '../../src/core/media/media-of-event.js';
import type { AnyWharfEvent } from '../../src/events/wharf-event.js';
import { mediaGiveUpAt } from '../../src/core/media/media-schedule.js';
import { MediaWorker } from '../../src/app/media-worker.js';
import { FileMediaBlobs } from '../../src/adapters/media/file-media-blobs.js';
import { GraphMediaSource } from '../../src/adapters/graph/graph-media-source.js';
import type { MediaBlobs } from '../../src/ports/media-blobs.js';
import { tempDir } from './temp-dir.js';
import { waitFor } from './wait-for.js';

export const T0 = 1_767_225_600_000;

export interface Outcome {
  readonly outcome: 'stored' | 'retry' | 'failed';
  readonly mediaId: string;
}

export interface MediaBed {
  readonly mock: GraphMock;
  readonly blobs: MediaBlobs;
  readonly mediaDir: string;
  readonly emitted: AnyWharfEvent[];
  readonly outcomes: Outcome[];
  clock: number;
  /** Registers items as the `wharf:media` target does. */
  register(...items: MediaItem[]): Promise<void>;
  /** A worker on `downloads` (each its own owner), started. */
  worker(downloads: MediaDownloads, options?: { graphUrl?: string; maxBytes?: number }): MediaWorker;
  /** Waits until `n` outcomes of `mediaId` were recorded. */
  settled(mediaId: string, n?: number): Promise<Outcome>;
  record(mediaId: string): Promise<MediaRecord | null>;
  /** Moves both clocks to the row's next attempt and wakes the workers. */
  toNextAttempt(mediaId: string): Promise<void>;
  dispose(): Promise<void>;
}

export async function mediaBed(downloads: MediaDownloads): Promise<MediaBed> {
  const dir = tempDir('wharf-media-bed-');
  const mediaDir = join(dir.path, 'media');
  const bed = { clock: T0 } as { clock: number };
  const mock = await startGraphMock({ now: () => bed.clock });
  const blobs = new FileMediaBlobs(mediaDir);
  const emitted: AnyWharfEvent[] = [];
  const outcomes: Outcome[] = [];
  const workers: MediaWorker[] = [];
  const sources: GraphMediaSource[] = [];
  const logger = createLogger('silent');
  const result: MediaBed = Object.assign(bed, {
    mock,
    blobs,
    mediaDir,
    emitted,
    outcomes,
    async register(...items: MediaItem[]) {
      await downloads.register(items, (i) => mediaGiveUpAt(i.occurredAt, bed.clock), bed.clock);
      for (const w of workers) w.wake();
    },
    worker(on: MediaDownloads, options: { graphUrl?: string; maxBytes?: number } = {}) {
      const source = new GraphMediaSource({
        graphUrl: options.graphUrl ?? mock.url,
        accessToken: mock.state.accessToken,
        timeoutMs: 5000,
      });
      sources.push(source);
      const worker = new MediaWorker({
        downloads: on,
        capture: {
          source,
          blobs,
          tmpDir: join(mediaDir, '.tmp'),
          maxBytes: options.maxBytes ?? 100 * 2 ** 20,
        },
        now: () => bed.clock,
        random: () => 0.5,
        logger,
        emit: async (e) => void emitted.push(e),
        // Only wake-ups move it: no timer races the injected clock.
        pollMs: 3_600_000,
        onOutcome: (outcome, r) => outcomes.push({ outcome, mediaId: r.mediaId }),
      });
      workers.push(worker);
      worker.start();
      return worker;
    },
    async settled(mediaId: string, n = 1) {
      const mine = () => outcomes.filter((o) => o.mediaId === mediaId);
      await waitFor(`${n} outcome(s) of media ${mediaId}`, () => mine().length >= n, 15_000);
      return mine()[n - 1] as Outcome;
    },
    record: (mediaId: string) => downloads.get(mediaId),
    async toNextAttempt(mediaId: string) {
      const r = await downloads.get(mediaId);
      if (r === null) throw new Error(`no media ${mediaId}`);
      bed.clock = Math.max(bed.clock, r.nextAttemptAt);
      for (const w of workers) w.wake();
    },
    async dispose() {
      for (const w of workers) await w.stop();
      for (const s of sources) await s.close();
      await mock.close();
      dir.cleanup();
    },
  });
  return result;
}

/** A media item as a webhook would carry it. */
export function mediaItem(mediaId: string, over: Partial<MediaItem> = {}): MediaItem {
  return {
    mediaId,
    phoneNumberId: '900000000000001',
    wamid: `wamid.M${mediaId}`,
    mimeType: 'image/jpeg',
    sha256: null,
    url: null,
    occurredAt: T0,
    ...over,
  };
}
