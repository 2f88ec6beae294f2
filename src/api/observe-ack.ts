import type { Metrics } from '../observability/metrics.js';

/**
 * wharf_ack_latency_seconds: from a webhook POST's first byte read to its answer written (handed to
 * the kernel), by status — the part of what the sender sees that the server decides.
 */
export function observeAck(metrics: Metrics, status: number, firstByteAt: bigint): void {
  metrics.ackLatency.observe({ status: String(status) }, Number(process.hrtime.bigint() - firstByteAt) / 1e9);
}
