/**
 * Results of a transport wrapper (alert-transport.ts, sms-fallback-transport.ts) that answers by
 * itself, without a request: no status, no time spent.
 */
import type { TransportResult } from '../ports/destination-transport.js';

/** Handled here: `excerpt` says what was done (or why nothing needed sending). */
export const done = (excerpt: string): TransportResult => ({
  ok: true,
  status: null,
  durationMs: 0,
  responseExcerpt: excerpt,
  error: null,
});

/** Failed here, before any request: `error` says why. */
export const failed = (error: string): TransportResult => ({
  ok: false,
  status: null,
  durationMs: 0,
  responseExcerpt: null,
  error,
});
