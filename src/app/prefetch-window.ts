import type { ClaimedRow } from '../ports/outbox.js';

/**
 * How many rows a target may hold leased (queued here and in flight) per multiple of its
 * max_in_flight. Claiming only the free slots cost one claim and one mark statement per ten events
 * on SQLite's main thread; a window of several rounds makes a claim rare while a batch drains.
 */
export const PREFETCH_ROUNDS = 10;

interface Queued {
  readonly row: ClaimedRow;
  readonly leaseUntil: number;
}

/**
 * Rows a dispatcher has leased but not started yet, per target, in claim order (the outbox's due
 * order, and for `ordering: contact` only heads of contacts, so order is kept whatever runs first).
 * A row whose lease would end before its attempt could is never started: another claim (ours or
 * another worker's) takes it once the lease expires, so a row is never sent twice at once by us.
 */
export class PrefetchWindow {
  private readonly queues = new Map<string, Queued[]>();
  private readonly held = new Set<string>();
  /** Rows claimed again while held here (a replay, an expired lease): queued once their attempt is recorded. */
  private readonly again = new Map<string, Queued>();

  /** Rows queued for this target. */
  size(target: string): number {
    return this.queues.get(target)?.length ?? 0;
  }

  /**
   * Queues claimed rows. A row already held here (replayed or its lease expired while its attempt
   * ran) waits until that attempt is recorded, so it never runs twice at once, yet is not lost.
   */
  add(rows: readonly ClaimedRow[], leaseUntil: number): void {
    for (const row of rows) {
      if (this.held.has(row.id)) this.again.set(row.id, { row, leaseUntil });
      else this.enqueue({ row, leaseUntil });
    }
  }

  private enqueue(item: Queued): void {
    this.held.add(item.row.id);
    let q = this.queues.get(item.row.target);
    if (!q) this.queues.set(item.row.target, (q = []));
    q.push(item);
  }

  /**
   * The next row of `target` whose lease outlasts an attempt started `now` (`timeoutMs` long), or
   * undefined. Rows whose lease is too short are dropped: their lease expiry makes them due again.
   */
  take(target: string, now: number, timeoutMs: number): ClaimedRow | undefined {
    const q = this.queues.get(target);
    while (q && q.length > 0) {
      const next = q.shift() as Queued;
      if (next.leaseUntil >= now + timeoutMs) return next.row;
      // Let go; if a later claim leased it again meanwhile (every slot busy past its lease), that
      // claim's entry is queued now under its own lease instead of waiting for an attempt never made.
      this.done(next.row.id);
    }
    return undefined;
  }

  /** The row's attempt was recorded: it may be claimed here again (a retry). */
  done(rowId: string): void {
    this.held.delete(rowId);
    const next = this.again.get(rowId);
    if (!next) return;
    this.again.delete(rowId);
    this.enqueue(next);
  }

  /** Every queued row, taken out (a stopping dispatcher hands their leases back). */
  takeAll(): ClaimedRow[] {
    const rows = [...this.queues.values()].flatMap((q) => this.letGo(q));
    this.queues.clear();
    return rows;
  }

  /** Targets that no longer exist (a deleted destination): their queued rows are let go. */
  keepOnly(targets: ReadonlySet<string>): void {
    for (const [target, q] of this.queues) {
      if (targets.has(target)) continue;
      this.letGo(q);
      this.queues.delete(target);
    }
    for (const [id, { row }] of this.again) if (!targets.has(row.target)) this.again.delete(id);
  }

  /** A queue's rows, no longer held here (the caller drops the queue). */
  private letGo(q: readonly Queued[]): ClaimedRow[] {
    const rows: ClaimedRow[] = [];
    for (const { row } of q) {
      this.held.delete(row.id);
      rows.push(row);
    }
    return rows;
  }
}
