import { GrowingHashTable } from './growing-hash-table.js';

/**
 * The recent body hashes of an inbox, in memory, so that the append path can tell a byte-identical
 * redelivery without a unique index on a random key (each insert into such an index dirties a
 * random B-tree page, which the WAL then writes and the checkpoint copies: measured, it doubled
 * the cost of a stored delivery).
 *
 * A lookup gives candidate ids, which the caller confirms against the stored full hash: the key
 * kept here is only the first 48 bits of the SHA-256, so a false candidate is possible (about one
 * in 2^48 per stored hash) and a missed one is not.
 *
 * Memory is bounded by time: hashes live in generations of `windowMs` (aligned to multiples of it
 * since the epoch, by received time), and the current and previous generations are kept, so a
 * hash is remembered for at least `windowMs` and at most twice that. 32 – 64 bytes per hash (the
 * tables are a quarter to half full), up to half as much again while a table grows.
 */
export class RecentHashes {
  private generations = new Map<number, GrowingHashTable>();

  constructor(private readonly windowMs: number) {
    if (!(windowMs > 0)) throw new RangeError('windowMs must be positive');
  }

  /** Received times at or after this are remembered (the start of the previous generation). */
  horizon(now: number): number {
    return (Math.floor(now / this.windowMs) - 1) * this.windowMs;
  }

  add(hashHex: string, id: number, receivedAt: number): void {
    const gen = Math.floor(receivedAt / this.windowMs);
    let table = this.generations.get(gen);
    if (!table) {
      table = new GrowingHashTable();
      this.generations.set(gen, table);
      this.forgetBefore(gen - 1);
    }
    table.add(keyOf(hashHex), id);
  }

  /** Ids stored with a hash that starts like this one (confirm each against the full hash). */
  candidates(hashHex: string): number[] {
    const key = keyOf(hashHex);
    const out: number[] = [];
    for (const table of this.generations.values()) table.find(key, out);
    return out;
  }

  get size(): number {
    let n = 0;
    for (const t of this.generations.values()) n += t.size;
    return n;
  }

  private forgetBefore(gen: number): void {
    for (const g of this.generations.keys()) if (g < gen) this.generations.delete(g);
  }
}

/**
 * The first 48 bits of a lowercase hex SHA-256 as a number (exact in a double), read digit by digit:
 * the inbox writer asks twice per stored delivery, where a regular expression, a substring and
 * parseInt cost several times as much.
 */
function keyOf(hashHex: string): number {
  let key = 0;
  for (let i = 0; i < 12; i++) {
    const c = hashHex.charCodeAt(i); // NaN past the end
    const digit = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (digit < 0) throw new RangeError(`not a lowercase hex hash: ${hashHex}`);
    key = key * 16 + digit;
  }
  return key;
}
