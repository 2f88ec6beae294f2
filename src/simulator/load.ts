import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { summarizeLoad, type LoadSummary } from './load-summary.js';
import { sendDelivery, type SendResult } from './send-delivery.js';

export interface LoadOptions {
  readonly url: string | URL;
  readonly secret: string;
  /** Target requests per second. */
  readonly rate: number;
  /** How long to keep sending, seconds; in-flight requests are then awaited (bounded by timeoutMs). */
  readonly durationSeconds: number;
  /** Keep-alive connections shared by all requests. */
  readonly connections: number;
  /** Body for the i-th request (0-based). */
  readonly makeBody: (index: number) => unknown;
  readonly timeoutMs?: number;
}

/** Pacing tick: small enough for smooth rates, large enough not to spin. */
const TICK_MS = 5;

/**
 * Rate-controlled load over N keep-alive connections. Requests are released on a fixed schedule
 * (count due = elapsed × rate) rather than as fast as answers come back, so a slow receiver shows
 * up as growing latency instead of silently lowering the offered load.
 */
export async function runLoad(options: LoadOptions): Promise<LoadSummary> {
  if (!(options.rate > 0) || !(options.durationSeconds > 0) || !(options.connections >= 1)) {
    throw new RangeError('rate, duration and connections must be positive');
  }
  const url = new URL(options.url);
  const Agent = url.protocol === 'https:' ? https.Agent : http.Agent;
  const agent = new Agent({ keepAlive: true, maxSockets: Math.floor(options.connections) });
  const total = Math.floor(options.rate * options.durationSeconds);
  const inFlight: Array<Promise<SendResult>> = [];
  const started = performance.now();
  try {
    let issued = 0;
    while (issued < total) {
      const elapsed = performance.now() - started;
      const due = Math.min(total, Math.floor((elapsed * options.rate) / 1000) + 1);
      for (; issued < due; issued++) {
        const body = options.makeBody(issued);
        inFlight.push(
          sendDelivery({ url, secret: options.secret, body, agent, timeoutMs: options.timeoutMs }),
        );
      }
      if (issued < total) await sleep(TICK_MS);
    }
    const results = await Promise.all(inFlight);
    return summarizeLoad(results, performance.now() - started);
  } finally {
    agent.destroy();
  }
}
