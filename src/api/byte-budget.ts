/**
 * A global bound on the request bytes held in memory (bodies being read or waiting for their
 * commit). Bytes that already arrived are always counted; a new body is admitted only if its whole
 * declared size still fits, so 300 connections each declaring 4 MB cannot together hold 1.2 GB.
 */
export class ByteBudget {
  private held = 0;

  constructor(readonly limit: number) {}

  get used(): number {
    return this.held;
  }

  /** Past the limit: readers waiting for a commit stop reading more. */
  get exhausted(): boolean {
    return this.held >= this.limit;
  }

  /** Counts bytes already in memory (they cannot be refused any more). */
  add(bytes: number): void {
    this.held += bytes;
  }

  /** Reserves room for bytes still to come; false (and nothing reserved) if they would not fit. */
  tryReserve(bytes: number): boolean {
    if (this.held + bytes > this.limit) return false;
    this.held += bytes;
    return true;
  }

  release(bytes: number): void {
    this.held = Math.max(0, this.held - bytes);
  }
}
