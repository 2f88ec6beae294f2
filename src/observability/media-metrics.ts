/**
 * Media capture metrics: download attempts by outcome (stored; retry: failed, will try again;
 * failed: given up with wharf.media.failed) and the bytes stored.
 */
import { Counter, type Registry } from 'prom-client';

export function createMediaMetrics(registry: Registry) {
  const downloads = new Counter({
    name: 'wharf_media_downloads_total',
    help: 'Media download attempts by outcome (stored, retry: will try again, failed: given up)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const bytes = new Counter({
    name: 'wharf_media_stored_bytes_total',
    help: 'Bytes of media files stored by this process',
    registers: [registry],
  });
  return {
    outcome(outcome: 'stored' | 'retry' | 'failed', size: number | null) {
      downloads.inc({ outcome });
      if (outcome === 'stored' && size !== null) bytes.inc(size);
    },
  };
}
