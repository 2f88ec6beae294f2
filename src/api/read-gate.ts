/** A connection the gate can hold and hand back. */
export interface GateMember {
  /** Taken off the gate's queue: serve what is buffered, then read again. */
  resumeFromGate(): void;
  /** Stop reading now (the gate queues it, between requests). */
  holdFromGate(): void;
  /**
   * Written by the gate alone: the number of this member's entry in its list of connections waiting
   * for their next request (0: not in it). A connection starts at 0.
   */
  gateOpenMark: number;
}

export interface ReadGateOptions {
  /** Time into an event-loop turn (from its first read) during which requests are processed. */
  readonly budgetMs?: number;
  /** Clock in ms (tests). */
  readonly now?: () => number;
  /** Runs `fn` at the end of the current event-loop turn (tests: when they say). */
  readonly defer?: (fn: () => void) => void;
  /** First guess of how many requests one turn's budget serves, until busy turns have measured it. */
  readonly capacity?: number;
}

import { performance } from 'node:perf_hooks';

const DEFAULT_BUDGET_MS = 10;
/** First guess of how many requests one turn's budget serves, before a busy turn has measured it. */
const INITIAL_CAPACITY = 200;
const MAX_CAPACITY = 4096;
/**
 * Never fewer let read per turn: a turn whose budget ran out because the process was preempted (a
 * loaded machine) measures a capacity of a few requests, and 64 keep-alive connections would then
 * wait many turns each for nothing.
 */
const MIN_CAPACITY = 64;
/** Entries of the open list before its stale ones are first dropped. */
const MIN_OPEN_LIMIT = 1024;

/**
 * Bounds the work one event-loop turn takes on, like nginx's bounded events per loop iteration.
 * Under thousands of busy connections one libuv poll returns every ready socket and would read,
 * parse and admit all their requests in one turn of hundreds of ms. Instead, once a turn has spent
 * its budget (measured from its first read):
 *
 * - every connection waiting for its next request stops reading at once, so that libuv, going on
 *   through the same poll's ready sockets, leaves their requests in the kernel (TCP backpressure:
 *   nothing is read, nothing is dropped), and so does each connection answered later in the turn;
 * - a connection whose bytes were read before that is held with them, unparsed.
 *
 * At the turn's end (setImmediate) held connections are resumed in FIFO order, those with bytes
 * first (their time is already counted), within the same budget; then about as many connections as
 * one turn's budget serves are let read again, those let read by the previous turn whose request had
 * not come yet first. What is left waits for the next turn's end. Accepting is not gated: a new
 * connection is read like any other.
 */
export class ReadGate {
  private readonly budgetMs: number;
  private readonly now: () => number;
  private readonly defer: (fn: () => void) => void;
  /** When the current turn's first read came (-1: no turn in progress). */
  private turnStartedAt = -1;
  /** Requests let through in the current turn. */
  private admitted = 0;
  /** The current turn refused a request (its budget ran out). */
  private saturated = false;
  private scheduled = false;
  private readonly endTurnNow = (): void => this.endTurn();
  /** Held with bytes read (a request, or part of one), in arrival order. */
  private readonly withBytes = new Set<GateMember>();
  /** Held between requests, in the order they were answered. */
  private readonly idle = new Set<GateMember>();
  /**
   * Answered and reading, waiting for their next request (stopped all at once when a turn's budget
   * runs out), in the order they were answered: each entry's member and mark, the entry standing
   * while the member's gateOpenMark is that mark. Taking a member out is one write to its mark
   * instead of a Set's delete, which every request would pay; stale entries are dropped in bulk.
   */
  private readonly openMembers: Array<GateMember | undefined> = [];
  private readonly openMarks: number[] = [];
  /** Entries in use, at the head of the two arrays (which are reused, not reallocated). */
  private openCount = 0;
  private lastMark = 0;
  /** Past this many entries, the stale ones are dropped (kept at twice the standing ones). */
  private openLimit = MIN_OPEN_LIMIT;
  /** A connection closed while the open list had entries: its stale ones are dropped at the turn's end. */
  private dropAtTurnEnd = false;
  /** Let read again by the last turn's end; stopped before their request came, they keep their place. */
  private readonly released = new Set<GateMember>();
  /** Held again after their release, served before `idle`. */
  private readonly front = new Set<GateMember>();
  /**
   * How many requests one turn's budget serves: measured as those let through before a turn's
   * budget ran out (a running average), grown while turns end under budget with connections held.
   */
  private capacity: number;
  /** MIN_CAPACITY, or the first guess if lower. */
  private readonly minCapacity: number;

  constructor(options: ReadGateOptions = {}) {
    this.budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
    this.now = options.now ?? now;
    this.defer = options.defer ?? ((fn) => void setImmediate(fn));
    this.capacity = options.capacity ?? INITIAL_CAPACITY;
    this.minCapacity = Math.min(MIN_CAPACITY, this.capacity);
  }

  /** Connections held now. */
  get held(): number {
    return this.withBytes.size + this.front.size + this.idle.size;
  }

  /** A request's bytes arrived on a reading connection: whether to process them now. */
  admit(member: GateMember): boolean {
    member.gateOpenMark = 0;
    if (this.released.size > 0) this.released.delete(member);
    const t = this.now();
    if (this.turnStartedAt < 0) {
      this.turnStartedAt = t;
      this.admitted = 0;
      this.saturated = false;
      this.schedule();
    } else if (t - this.turnStartedAt > this.budgetMs) {
      if (!this.saturated) {
        this.saturated = true;
        this.capacity = Math.max(this.minCapacity, 0.7 * this.capacity + 0.3 * this.admitted);
        this.stopOpen();
      }
      return false;
    }
    this.admitted++;
    return true;
  }

  /** Whether a connection just answered should stop reading before its next request. */
  get congested(): boolean {
    if (this.held > 0) return true;
    return this.turnStartedAt >= 0 && this.now() - this.turnStartedAt > this.budgetMs;
  }

  /**
   * A connection answered, with nothing buffered, reads on for its next request; should a turn's
   * budget run out before that request arrives, it stops reading then (stopOpen).
   */
  reading(member: GateMember): void {
    if (member.gateOpenMark !== 0) return;
    if (this.openCount >= this.openLimit) this.dropStale();
    const mark = ++this.lastMark;
    member.gateOpenMark = mark;
    this.openMembers[this.openCount] = member;
    this.openMarks[this.openCount] = mark;
    this.openCount++;
  }

  /** Moves the open list's standing entries to its head, in order; it may grow to twice their number. */
  private dropStale(): void {
    const count = this.openCount;
    let kept = 0;
    for (let i = 0; i < count; i++) {
      const member = this.openMembers[i] as GateMember;
      const mark = this.openMarks[i] as number;
      if (member.gateOpenMark !== mark) continue;
      this.openMembers[kept] = member;
      this.openMarks[kept] = mark;
      kept++;
    }
    // No reference kept to a connection that may have closed.
    this.openMembers.fill(undefined, kept, count);
    this.openCount = kept;
    this.openLimit = Math.max(MIN_OPEN_LIMIT, 2 * kept);
  }

  /** Empties the open list: the members it stands for, in the order they were answered. */
  private takeOpen(): GateMember[] {
    const open: GateMember[] = [];
    for (let i = 0; i < this.openCount; i++) {
      const member = this.openMembers[i] as GateMember;
      if (member.gateOpenMark === this.openMarks[i]) open.push(member);
    }
    this.openMembers.fill(undefined, 0, this.openCount);
    this.openCount = 0;
    return open;
  }

  /** Queues a connection that stopped reading; `withBytes`: it holds bytes not yet processed. */
  hold(member: GateMember, withBytes: boolean): void {
    this.leave(member);
    (withBytes ? this.withBytes : this.idle).add(member);
    this.schedule();
  }

  /**
   * A connection closed or was released otherwise. Entries of the open list may still name it (stale
   * ones too): they are dropped at the turn's end, so that no closed connection stays referenced
   * until the list next fills up (on a quiet server, never).
   */
  forget(member: GateMember): void {
    this.leave(member);
    if (this.openCount > 0) {
      this.dropAtTurnEnd = true;
      this.schedule();
    }
  }

  private leave(member: GateMember): void {
    member.gateOpenMark = 0;
    this.released.delete(member);
    this.withBytes.delete(member);
    this.front.delete(member);
    this.idle.delete(member);
  }

  /**
   * The turn's budget ran out: every connection waiting for its next request stops reading now, so
   * that libuv, still going through this poll's ready sockets, does not read their requests (it
   * skips a socket whose reading an earlier callback of the same poll stopped): they stay in the
   * kernel and come in FIFO order with the others held.
   */
  private stopOpen(): void {
    for (const member of this.released) {
      member.holdFromGate();
      this.front.add(member);
    }
    this.released.clear();
    for (const member of this.takeOpen()) {
      member.gateOpenMark = 0;
      member.holdFromGate();
      this.idle.add(member);
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.defer(this.endTurnNow);
  }

  private endTurn(): void {
    this.scheduled = false;
    if (this.dropAtTurnEnd) {
      this.dropAtTurnEnd = false;
      this.dropStale();
    }
    // A turn that held no one (every turn short of its budget): nothing to resume or measure.
    if (this.held === 0) {
      this.saturated = false;
      this.turnStartedAt = -1;
      return;
    }
    const start = this.now();
    // A turn that served about a capacity's worth within its budget, with more waiting: it serves more.
    if (!this.saturated && this.front.size + this.idle.size > 0 && this.admitted >= 0.9 * this.capacity)
      this.capacity = Math.min(MAX_CAPACITY, this.capacity * 1.25);
    this.saturated = false;
    this.turnStartedAt = -1;
    for (const member of this.withBytes) {
      if (this.now() - start > this.budgetMs) break;
      this.withBytes.delete(member);
      member.resumeFromGate();
    }
    // Each one let read brings (at most) one request into the next turn: about a budget's worth.
    let release = Math.max(1, Math.round(this.capacity) - this.withBytes.size);
    for (const queue of [this.front, this.idle]) {
      for (const member of queue) {
        if (release-- <= 0 || this.now() - start > this.budgetMs) break;
        queue.delete(member);
        this.released.add(member);
        member.resumeFromGate();
      }
    }
    if (this.held > 0) this.schedule();
  }
}

/** The default clock, ms (perf_hooks' own: not the global's accessor, looked up on every call). */
const now = (): number => performance.now();
