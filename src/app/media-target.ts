/**
 * How media items reach the media worker: the processor writes one outbox row for target
 * `wharf:media` per event that carries a media item, in the same transaction as the event (so no
 * media item is missed, however many workers run), and this target's dispatch registers the item
 * in media_files — a quick idempotent insert; the download itself happens later in the media
 * worker, never on the processing path.
 */
import type { OutboxTarget } from '../ports/outbox-target.js';
import type { MediaDownloads } from '../ports/media-downloads.js';
import { mediaOfEvent } from '../core/media/media-of-event.js';
import { mediaGiveUpAt } from '../core/media/media-schedule.js';
import { wantsOfRule, type TargetRule } from '../core/target-rule.js';
import type { DispatchTarget } from './dispatcher.js';

export const MEDIA_TARGET_ID = 'wharf:media';

const MEDIA_RULE: TargetRule = { kind: 'media' };

export const mediaOutboxTarget: OutboxTarget = {
  id: MEDIA_TARGET_ID,
  wants: wantsOfRule(MEDIA_RULE),
  rule: MEDIA_RULE,
};

export function mediaRegistrationTarget(
  downloads: MediaDownloads,
  now: () => number,
  registered: () => void,
): DispatchTarget {
  return {
    id: MEDIA_TARGET_ID,
    concurrency: 8,
    timeoutMs: 30_000,
    handle: async (event) => {
      const item = mediaOfEvent(event);
      if (item === null) return;
      const at = now();
      if ((await downloads.register([item], (i) => mediaGiveUpAt(i.occurredAt, at), at)) > 0) registered();
    },
  };
}
