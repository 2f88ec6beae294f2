/**
 * Monotonic status rank (Meta's docs on ordering): sent < delivered < read < played. `failed` is not on the
 * scale (it can arrive before or after delivered with multi-device users) and is kept beside it.
 * Applying statuses as a max over this rank gives the same state in any arrival order.
 */

export const STATUS_RANK = { sent: 1, delivered: 2, read: 3, played: 4 } as const;

export type RankedStatus = keyof typeof STATUS_RANK;

/** Rank of a status, or null for failed / unknown statuses. */
export function statusRank(status: string): number | null {
  return Object.hasOwn(STATUS_RANK, status) ? STATUS_RANK[status as RankedStatus] : null;
}

/** The further of two statuses; an unranked status never replaces a ranked one. */
export function maxStatus<A extends string, B extends string>(a: A, b: B): A | B {
  const ra = statusRank(a);
  const rb = statusRank(b);
  if (rb === null) return a;
  if (ra === null) return b;
  return rb > ra ? b : a;
}
