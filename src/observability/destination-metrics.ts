/**
 * Per-destination metrics (issue 12 item 10), labelled by destination id: attempts by
 * outcome (delivered, failed = will retry, dead), attempts in flight, attempt latency, and backlog
 * (pending outbox rows, read from the store at scrape time).
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export function createDestinationMetrics(registry: Registry) {
  const attempts = new Counter({
    name: 'wharf_destination_attempts_total',
    help: 'Destination attempts by destination id and outcome (delivered, failed: will retry, dead: dead letter)',
    labelNames: ['destination', 'outcome'] as const,
    registers: [registry],
  });
  const inFlight = new Gauge({
    name: 'wharf_destination_in_flight',
    help: 'Destination attempts running now, by destination id',
    labelNames: ['destination'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'wharf_destination_attempt_seconds',
    help: 'Duration of one destination attempt (until the receiver answered or it failed), by destination id',
    labelNames: ['destination'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  let backlogSource: () => Promise<ReadonlyArray<{ target: string; pending: number }>> = async () => [];
  new Gauge({
    name: 'wharf_destination_backlog',
    help: 'Outbox rows waiting for a first attempt or a retry, by destination id',
    labelNames: ['destination'] as const,
    registers: [registry],
    async collect() {
      // A scrape must not fail because the store cannot be read right now.
      const rows = await backlogSource().catch(() => null);
      if (rows === null) return;
      this.reset();
      for (const r of rows) this.set({ destination: r.target.replace(/^destination:/, '') }, r.pending);
    },
  });
  return {
    attempts,
    inFlight,
    latency,
    setBacklogSource(fn: typeof backlogSource) {
      backlogSource = fn;
    },
  };
}

export type DestinationMetrics = ReturnType<typeof createDestinationMetrics>;
