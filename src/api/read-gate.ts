/** A connection the gate can hold and hand back. */
export interface GateMember {
  /** Taken off the gate's queue: serve what is buffered, then read again. */
  resumeFromGate(): void;
}

export interface ReadGateOptions {
  /** Time into an event-loop turn (from its first read) during which requests are processed. */
  readonly budgetMs?: number;
  /** Clock in ms (tests). */
  readonly now?: () => number;
  /** Runs `fn` at the end of the current event-loop turn (tests: when they say). */
  readonly defer?: (fn: () => void) => void;
}

const DEFAULT_BUDGET_MS = 10;
/** First guess of what one request costs the event loop (ms), before a busy turn has measured it. */
const INITIAL_COST_MS = 0.05;
/** A turn is measured only when it processed at least this many requests. */
const MIN_SAMPLE = 8;
const MAX_RELEASE = 4096;

/**
 * Bounds the work one event-loop turn takes on, like nginx's bounded events per loop iteration.
 * Under thousands of busy connections one libuv poll returns every ready socket and would read,
 * parse and admit all their requests in one turn of hundreds of ms. Instead, once a turn has spent
 * its budget (measured from its first read):
 *
 * - a connection whose request arrives is held: its bytes are kept, unparsed, and it stops reading;
 * - a connection that has just been answered is held before its next request is read, so that
 *   request stays in the kernel (TCP backpressure: nothing is read, nothing is dropped).
 *
 * At the turn's end (setImmediate) held connections are resumed in FIFO order, those with bytes
 * first (their time is already counted), within the same budget; connections held before their next
 * request are let read again about as many as one turn's budget serves. What is left waits for the
 * next turn's end. Accepting is not gated: a new connection is read like any other.
 */
export class ReadGate {
  private readonly budgetMs: number;
  private readonly now: () => number;
  private readonly defer: (fn: () => void) => void;
  /** When the current turn's first read came (-1: no turn in progress). */
  private turnStartedAt = -1;
  /** Requests let through in the current turn. */
  private admitted = 0;
  private scheduled = false;
  /** Held with bytes read (a request, or part of one), in arrival order. */
  private readonly withBytes = new Set<GateMember>();
  /** Held between requests, in the order they were answered. */
  private readonly idle = new Set<GateMember>();
  /** What one request costs the event loop (ms), from busy turns: their length over requests let through. */
  private costMs = INITIAL_COST_MS;

  constructor(options: ReadGateOptions = {}) {
    this.budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
    this.now = options.now ?? (() => performance.now());
    this.defer = options.defer ?? ((fn) => void setImmediate(fn));
  }

  /** Connections held now. */
  get held(): number {
    return this.withBytes.size + this.idle.size;
  }

  /** A request's bytes arrived on a reading connection: whether to process them now. */
  admit(): boolean {
    const t = this.now();
    if (this.turnStartedAt < 0) {
      this.turnStartedAt = t;
      this.admitted = 0;
      this.schedule();
    } else if (t - this.turnStartedAt > this.budgetMs) return false;
    this.admitted++;
    return true;
  }

  /** Whether a connection just answered should stop reading before its next request. */
  get congested(): boolean {
    if (this.withBytes.size > 0 || this.idle.size > 0) return true;
    return this.turnStartedAt >= 0 && this.now() - this.turnStartedAt > this.budgetMs;
  }

  /** Queues a connection that stopped reading; `withBytes`: it holds bytes not yet processed. */
  hold(member: GateMember, withBytes: boolean): void {
    this.idle.delete(member);
    this.withBytes.delete(member);
    (withBytes ? this.withBytes : this.idle).add(member);
    this.schedule();
  }

  /** A connection closed or was released otherwise. */
  forget(member: GateMember): void {
    this.withBytes.delete(member);
    this.idle.delete(member);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.defer(() => this.endTurn());
  }

  private endTurn(): void {
    this.scheduled = false;
    const start = this.now();
    if (this.turnStartedAt >= 0 && this.admitted >= MIN_SAMPLE) {
      const perRequest = (start - this.turnStartedAt) / this.admitted;
      this.costMs = 0.8 * this.costMs + 0.2 * perRequest;
    }
    this.turnStartedAt = -1;
    for (const member of this.withBytes) {
      if (this.now() - start > this.budgetMs) break;
      this.withBytes.delete(member);
      member.resumeFromGate();
    }
    // Each one let read brings (at most) one request into the next turn: about a budget's worth.
    let release = Math.min(MAX_RELEASE, Math.max(1, Math.floor(this.budgetMs / this.costMs)));
    release -= this.withBytes.size;
    for (const member of this.idle) {
      if (release-- <= 0 || this.now() - start > this.budgetMs) break;
      this.idle.delete(member);
      member.resumeFromGate();
    }
    if (this.held > 0) this.schedule();
  }
}
