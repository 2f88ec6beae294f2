/** Sources tracked at most; past it, the buckets that are full again are forgotten first. */
const MAX_SOURCES = 10_000;

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per source address for requests that failed the signature check: each failure
 * takes a token, tokens come back at `perSecond`, and a source with none left is refused with 429
 * before its HMAC is computed — so a flood of forged POSTs costs a Map lookup each, while signed
 * traffic (which takes no token) is never slowed. A source that never failed has no bucket.
 */
export class SignatureFailureLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until `source` may try again, or 0 if it may now. */
  retryAfterSeconds(source: string): number {
    const bucket = this.buckets.get(source);
    if (!bucket) return 0;
    this.refill(bucket);
    return bucket.tokens >= 1 ? 0 : Math.ceil((1 - bucket.tokens) / this.perSecond);
  }

  /** A request from `source` failed the signature check. */
  failed(source: string): void {
    let bucket = this.buckets.get(source);
    if (!bucket) {
      if (this.buckets.size >= MAX_SOURCES) this.forgetFull();
      bucket = { tokens: this.burst, at: this.now() };
      this.buckets.set(source, bucket);
    } else this.refill(bucket);
    bucket.tokens = Math.max(0, bucket.tokens - 1);
  }

  private refill(bucket: Bucket): void {
    const now = this.now();
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
  }

  private forgetFull(): void {
    for (const [source, bucket] of this.buckets) {
      this.refill(bucket);
      if (bucket.tokens >= this.burst) this.buckets.delete(source);
    }
    // Still full of sources that keep failing: the oldest go (a Map iterates in insertion order).
    for (const source of this.buckets.keys()) {
      if (this.buckets.size < MAX_SOURCES) break;
      this.buckets.delete(source);
    }
  }
}
