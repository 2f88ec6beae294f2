import { Counter, Histogram, type Registry } from 'prom-client';

/** Processor metrics, registered on the instance's registry next to the ingress metrics. */
export function createProcessingMetrics(registry: Registry) {
  const lag = new Histogram({
    name: 'wharf_processing_lag_seconds',
    help: 'Time from a delivery being stored to its events being committed (or it being marked invalid)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const batchDeliveries = new Histogram({
    name: 'wharf_processing_batch_deliveries',
    help: 'Deliveries per processing batch (one transaction)',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
    registers: [registry],
  });
  const batchEvents = new Histogram({
    name: 'wharf_processing_batch_events',
    help: 'Events per processing batch (one transaction)',
    buckets: [0, 1, 4, 16, 64, 256, 1024, 4096],
    registers: [registry],
  });
  const batchDuration = new Histogram({
    name: 'wharf_processing_batch_seconds',
    help: 'Duration of one batch: claim, parse, normalize, derive, commit',
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  const lockHold = new Histogram({
    name: 'wharf_processing_lock_seconds',
    help: "Longest time one write transaction of a processing batch (claim or commit) held SQLite's write lock, in a process that also takes webhooks: the inbox's group commits wait meanwhile",
    // Fine around the ack's budget (15 ms p99), where a hold starts to show in the 200s.
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  const events = new Counter({
    name: 'wharf_events_total',
    help: 'New events committed, by name (duplicates are not counted here)',
    labelNames: ['name'] as const,
    registers: [registry],
  });
  const unknownEvents = new Counter({
    name: 'wharf_unknown_events_total',
    help: 'New events Wharf could not fully model (unknown, message.unknown, status.unknown), by name and field',
    labelNames: ['name', 'field'] as const,
    registers: [registry],
  });
  const duplicateEvents = new Counter({
    name: 'wharf_duplicate_events_total',
    help: 'Events whose idempotency key was already stored (retries, several apps): nothing changed',
    registers: [registry],
  });
  const deliveries = new Counter({
    name: 'wharf_deliveries_processed_total',
    help: 'Deliveries leaving the processor, by outcome (processed, invalid, failed = will be retried)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  return {
    unknownFieldLabel: boundedFieldLabel(),
    lag,
    batchDeliveries,
    batchEvents,
    batchDuration,
    lockHold,
    events,
    unknownEvents,
    duplicateEvents,
    deliveries,
  };
}

/** Distinct `field` label values kept on wharf_unknown_events_total; later ones count as "other". */
export const MAX_UNKNOWN_FIELD_LABELS = 50;

/**
 * The `field` of an unknown event is whatever string the delivery carried: used as is, each new one
 * would be a Prometheus series for the life of the process, however long or odd. Meta's field names
 * are short snake_case words and a few dozen of them exist, so the first 50 such names are kept.
 */
function boundedFieldLabel(): (field: string) => string {
  const kept = new Set<string>();
  return (field) => {
    if (kept.has(field)) return field;
    if (!/^[a-z][a-z0-9_]{0,63}$/.test(field) || kept.size >= MAX_UNKNOWN_FIELD_LABELS) return 'other';
    kept.add(field);
    return field;
  };
}

export type ProcessingMetrics = ReturnType<typeof createProcessingMetrics>;
