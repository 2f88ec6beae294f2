/**
 * The media part of one Wharf process (docs/sending.md, "Media"): where files are kept (WHARF_MEDIA_DIR or
 * WHARF_MEDIA_S3_URL), the `GET /api/v1/media/{media_id}` route (every role), and — in processing
 * roles while downloads are on — the `wharf:media` outbox target, its registration dispatcher and
 * the background media worker.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { WharfConfig } from '../config/load-config.js';
import type { Logger } from '../observability/create-logger.js';
import type { Storage } from '../ports/storage.js';
import type { MediaBlobs } from '../ports/media-blobs.js';
import type { OutboxTarget } from '../ports/outbox-target.js';
import type { AnyWharfEvent } from '../events/wharf-event.js';
import type { ApiRoute } from '../api/api-router.js';
import { mediaRoutes } from '../api/routes/media-routes.js';
import { Dispatcher } from '../app/dispatcher.js';
import { MediaWorker } from '../app/media-worker.js';
import { mediaOutboxTarget, mediaRegistrationTarget } from '../app/media-target.js';
import { DEFAULT_RETRY_POLICY } from '../core/retry-schedule.js';
import { FileMediaBlobs } from '../adapters/media/file-media-blobs.js';
import { S3MediaBlobs } from '../adapters/media/s3-media-blobs.js';
import { GraphMediaSource } from '../adapters/graph/graph-media-source.js';

export interface StartMediaArgs {
  readonly config: WharfConfig;
  readonly storage: Storage;
  readonly logger: Logger;
  readonly now: () => number;
  /** This process processes (roles all, worker): it registers and downloads media. */
  readonly processing: boolean;
  /** Stores one of Wharf's own events (wharf.media.failed) and hands it to destinations. */
  readonly emit: (event: AnyWharfEvent) => Promise<void>;
  /** How often due downloads are looked for without a wake-up (default 1 s; tests shorten it). */
  readonly pollMs?: number;
}

export interface MediaPart {
  /** Outbox targets for the processor: `wharf:media` while downloads run here, else none. */
  readonly targets: readonly OutboxTarget[];
  readonly routes: ApiRoute[];
  /** New outbox rows may be due (the processor committed). */
  wake(): void;
  stop(): Promise<void>;
}

function openBlobs(config: WharfConfig): MediaBlobs {
  return config.mediaS3 === undefined
    ? new FileMediaBlobs(resolve(config.mediaDir))
    : new S3MediaBlobs(config.mediaS3);
}

export function startMedia(args: StartMediaArgs): MediaPart {
  const { config, storage, logger, now } = args;
  const blobs = openBlobs(config);
  const routes = mediaRoutes(storage.media, blobs, config.mediaDownload);
  if (!args.processing || !config.mediaDownload || config.accessToken === undefined)
    return { targets: [], routes, wake: () => undefined, stop: () => blobs.close() };
  const source = new GraphMediaSource({ graphUrl: config.graphUrl, accessToken: config.accessToken });
  const worker = new MediaWorker({
    downloads: storage.media,
    capture: {
      source,
      blobs,
      tmpDir:
        config.mediaS3 === undefined ? join(resolve(config.mediaDir), '.tmp') : join(tmpdir(), 'wharf-media'),
      maxBytes: config.mediaMaxBytes,
    },
    now,
    random: Math.random,
    logger,
    emit: args.emit,
    ...(args.pollMs === undefined ? {} : { pollMs: args.pollMs }),
  });
  const registration = new Dispatcher({
    outbox: storage.outbox,
    targets: [mediaRegistrationTarget(storage.media, now, () => worker.wake())],
    policy: DEFAULT_RETRY_POLICY,
    workerId: `media-register-${randomBytes(4).toString('hex')}`,
    leaseMs: Math.max(config.leaseSeconds * 1000, 35_000),
    pollMs: args.pollMs ?? 1000,
    now,
    random: Math.random,
    logger,
    onAttempt: (report) => {
      if (report.outcome !== 'delivered')
        logger.warn(
          { event: report.event.key, outcome: report.outcome, err: String(report.error) },
          'media registration failed',
        );
    },
  });
  registration.start();
  worker.start();
  logger.info({ store: blobs.label, maxBytes: config.mediaMaxBytes }, 'media capture on');
  return {
    targets: [mediaOutboxTarget],
    routes,
    wake: () => registration.wake(),
    async stop() {
      await registration.stop(config.shutdownTimeoutMs);
      await worker.stop();
      await source.close();
      await blobs.close();
    },
  };
}
