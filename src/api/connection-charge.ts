import type { ByteBudget } from './byte-budget.js';

/**
 * What one connection holds against the shared byte budget: the bytes it has read and not yet given
 * back, plus the room reserved for a body still arriving (so that body cannot be refused halfway).
 */
export class ConnectionCharge {
  /** Reserved for bytes not arrived yet. */
  private ahead = 0;
  /** Everything counted for this connection, reserved room included. */
  private held = 0;

  constructor(private readonly budget: ByteBudget) {}

  /** Reserves room for `bytes` still to come; false (nothing reserved) if the budget cannot hold them. */
  reserve(bytes: number): boolean {
    if (bytes <= 0) return true;
    if (!this.budget.tryReserve(bytes)) return false;
    this.ahead += bytes;
    this.held += bytes;
    return true;
  }

  /** Counts bytes that arrived, first against the room reserved for them. */
  arrived(bytes: number): void {
    const covered = Math.min(this.ahead, bytes);
    this.ahead -= covered;
    this.held += bytes - covered;
    this.budget.add(bytes - covered);
  }

  /** Gives back `bytes` (a request answered). */
  release(bytes: number): void {
    const n = Math.min(bytes, this.held);
    this.held -= n;
    if (this.held < this.ahead) this.ahead = this.held;
    this.budget.release(n);
  }

  /** Gives everything back (the connection closed or was handed over). */
  releaseAll(): void {
    this.release(this.held);
  }
}
