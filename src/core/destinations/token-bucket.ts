/**
 * `rate_limit_per_second` of a destination: a token bucket holding at most one second's worth of
 * tokens, so a burst after a quiet time is bounded too. Pure: the caller passes its clock.
 */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly perSecond: number,
    now: number,
  ) {
    this.tokens = Math.max(1, perSecond);
    this.at = now;
  }

  private refill(now: number): void {
    const capacity = Math.max(1, this.perSecond);
    this.tokens = Math.min(capacity, this.tokens + ((now - this.at) / 1000) * this.perSecond);
    this.at = now;
  }

  /** Whole tokens available now. */
  available(now: number): number {
    this.refill(now);
    return Math.floor(this.tokens);
  }

  take(now: number): void {
    this.refill(now);
    this.tokens -= 1;
  }

  /** Milliseconds until the next whole token (0 when one is there). */
  msUntilNext(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }
}
