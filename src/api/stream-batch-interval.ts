/** The longest a busy stream waits to read commits together (docs/benchmarks.md, "Live streams and ingest"). */
export const MAX_STREAM_BATCH_MS = 50;
/** What each client of a filter adds to that wait. */
const PER_CLIENT_MS = 0.1;

/**
 * How long commits that come faster than this are gathered into one batch for a filter's clients.
 * A batch costs a write per client, so the wait grows with the clients: one client (a dashboard, an
 * e2e probe) is read on every commit and lags by nothing more, while 500 are sent a batch every
 * 50 ms; either way about 10,000 client writes a second at most.
 */
export function streamBatchIntervalMs(clients: number): number {
  return Math.min(MAX_STREAM_BATCH_MS, Math.max(0, clients) * PER_CLIENT_MS);
}
