/**
 * WHARF_SEND_RATE_PER_NUMBER for one business number: each send gets the next free slot, slots
 * `1000 / rate` ms apart, so over any stretch no more than the rate leaves (plus one). A send whose
 * slot is more than `queue` slots away is refused with the time after which it would fit. Meta's
 * 130429 pushes the next slot back (`holdUntil`). Pure: the caller passes its clock and waits.
 */
export type Reservation = { readonly waitMs: number } | { readonly refusedRetryAfterMs: number };

export class SendPacer {
  private next = -Infinity;
  private readonly interval: number;

  constructor(
    ratePerSecond: number,
    private readonly queue: number,
  ) {
    this.interval = 1000 / ratePerSecond;
  }

  reserve(now: number): Reservation {
    const slot = Math.max(now, this.next);
    const ahead = (slot - now) / this.interval;
    if (ahead >= this.queue)
      return { refusedRetryAfterMs: Math.ceil(slot - now - (this.queue - 1) * this.interval) };
    this.next = slot + this.interval;
    return { waitMs: slot - now };
  }

  /** Meta said the number is over its throughput: nothing leaves before `at`. */
  holdUntil(at: number): void {
    this.next = Math.max(this.next, at);
  }
}
