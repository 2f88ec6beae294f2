/**
 * What the Graph API mock knows and remembers: the access token, the clock, each contact's
 * customer service window, the throughput bucket per sending number, every send it accepted, and
 * answers injected by a test (`failNext`).
 */
import { createIds, type Ids } from '../../simulator/ids.js';
import { TokenBucket } from '../../core/destinations/token-bucket.js';
import type { GraphMockAnswer } from './graph-route.js';

/** One message the mock accepted (answered with a wamid). */
export interface MockSend {
  readonly phoneNumberId: string;
  readonly wamid: string;
  /** `to` as sent, or null when sent to a BSUID (`recipient`). */
  readonly to: string | null;
  readonly recipient: string | null;
  readonly type: string;
  readonly body: Readonly<Record<string, unknown>>;
  readonly at: number;
}

/** One request the mock received, answered or not. */
export interface MockCall {
  readonly method: string;
  readonly path: string;
  readonly at: number;
}

export interface GraphMockOptions {
  /** The token the mock accepts as `Authorization: Bearer …` (default `test-access-token`). */
  readonly accessToken?: string;
  /** Injected clock in ms (default Date.now): windows, rate limits and URL expiry follow it. */
  readonly now?: () => number;
  /**
   * Messages per second one sending number may send before 130429 (Meta: 80 by default, up to
   * 1,000 after an upgrade). Default 80.
   */
  readonly throughputPerNumber?: number;
  /** Whether a non-template message outside the contact's 24 h window fails with 131047 (default true). */
  readonly enforceWindow?: boolean;
  /** Seed of the ids (wamids) the mock makes up. */
  readonly seed?: number;
  /** Milliseconds every answer waits before it is written (Meta's own latency; default 0). */
  readonly latencyMs?: number;
}

const WINDOW_MS = 24 * 60 * 60 * 1000;

export class GraphMockState {
  readonly accessToken: string;
  readonly now: () => number;
  readonly throughputPerNumber: number;
  enforceWindow: boolean;
  /** Milliseconds every answer waits before it is written; may be changed while running. */
  latencyMs: number;
  readonly ids: Ids;
  readonly sends: MockSend[] = [];
  readonly calls: MockCall[] = [];
  private readonly lastInbound = new Map<string, number>();
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly injected: GraphMockAnswer[] = [];

  constructor(options: GraphMockOptions = {}) {
    this.accessToken = options.accessToken ?? 'test-access-token';
    this.now = options.now ?? Date.now;
    this.throughputPerNumber = options.throughputPerNumber ?? 80;
    this.enforceWindow = options.enforceWindow ?? true;
    this.latencyMs = options.latencyMs ?? 0;
    this.ids = createIds(options.seed ?? 1);
  }

  /** The contact (phone number or BSUID) messaged the business at `at`: its 24 h window opens. */
  userMessaged(contact: string, at: number = this.now()): void {
    const before = this.lastInbound.get(contact) ?? -Infinity;
    this.lastInbound.set(contact, Math.max(before, at));
  }

  windowOpen(contact: string): boolean {
    const last = this.lastInbound.get(contact);
    return last !== undefined && this.now() < last + WINDOW_MS;
  }

  /** Takes one message of the number's throughput; false when Meta would answer 130429. */
  takeThroughput(phoneNumberId: string): boolean {
    const now = this.now();
    let bucket = this.buckets.get(phoneNumberId);
    if (bucket === undefined) {
      bucket = new TokenBucket(this.throughputPerNumber, now);
      this.buckets.set(phoneNumberId, bucket);
    }
    if (bucket.available(now) < 1) return false;
    bucket.take(now);
    return true;
  }

  /** The next `times` requests (after the token check) get `answer` instead of the route's. */
  failNext(answer: GraphMockAnswer, times = 1): void {
    for (let i = 0; i < times; i++) this.injected.push(answer);
  }

  takeInjected(): GraphMockAnswer | undefined {
    return this.injected.shift();
  }

  /** Sends accepted for `phoneNumberId` (all numbers when omitted). */
  sendsFor(phoneNumberId?: string): MockSend[] {
    return phoneNumberId === undefined
      ? [...this.sends]
      : this.sends.filter((s) => s.phoneNumberId === phoneNumberId);
  }
}
