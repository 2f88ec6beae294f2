/** The longest a busy stream waits to read commits together (docs/benchmarks.md, "Live streams and ingest"). */
export const MAX_STREAM_BATCH_MS = 200;
/** What each client of a filter adds to that wait. */
const PER_CLIENT_MS = 0.4;

/**
 * How long commits that come faster than this are gathered into one batch for a filter's clients.
 * A batch costs a write per client (a loopback write is several µs of kernel time), so the wait
 * grows with the clients: one client (a dashboard, an e2e probe) waits 0.4 ms at most, while 500
 * are sent a batch every 200 ms; either way about 2,500 client writes a second at most. The live
 * view lags by up to the wait: 200 ms is still live to a person watching, and 50 ms (the wait
 * before) cost four times the writes (docs/benchmarks.md, "Live streams and ingest").
 */
export function streamBatchIntervalMs(clients: number): number {
  return Math.min(MAX_STREAM_BATCH_MS, Math.max(0, clients) * PER_CLIENT_MS);
}
