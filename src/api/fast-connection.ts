import type { Socket } from 'node:net';
import { findHeadEnd, HEAD_INCOMPLETE, HEAD_UNUSUAL } from './find-head-end.js';
import { parseRequestHead, type FastHead } from './parse-request-head.js';
import { BAD_REQUEST_BYTES, REQUEST_TIMEOUT_BYTES } from './answer-bytes.js';
import { ConnectionCharge } from './connection-charge.js';
import { ByteQueue } from './byte-queue.js';
import type { FastConnectionContext } from './fast-connection-context.js';
import type { Answer } from './ingest-delivery.js';
import type { GateMember } from './read-gate.js';
import { startReading, stopReading } from './socket-reading.js';

/** Above this many bytes read ahead while a request waits for its commit, the connection stops reading. */
const READ_AHEAD_BYTES = 64 * 1024;

/**
 * One client connection on the fast path: reads heads and bodies from any split of the bytes,
 * answers in order, hands anything unusual to node:http, and keeps its bytes within the shared
 * budget — counted as they arrive, a body's declared size reserved before it is read, and no
 * reading ahead while a request waits for its commit (backpressure).
 */
export class FastConnection implements GateMember {
  /** Waiting for the answer to a request (never cut as idle meanwhile). */
  busy = false;
  lastActiveAt: number;
  /** When the first byte of the request being read arrived (ms); 0 between requests. */
  requestStartedAt = 0;
  /** When this side ended the connection; later bytes are read and dropped (lingering close). */
  endedAt = 0;
  private firstByteAt = 0n;
  /** When the oldest byte still queued was read (hrtime): a request waiting behind a busy one started then. */
  private queuedSince = 0n;
  private readonly bytes = new ByteQueue();
  /** How far findHeadEnd() already looked (a head trickling in is not rescanned). */
  private scanned = 0;
  /** The client closed its side: close ours once nothing is left to answer. */
  private ended = false;
  private pending: { head: FastHead; headBytes: number; source: string } | null = null;
  private readonly charge: ConnectionCharge;
  private paused = false;
  /** Stopped reading by the turn's gate (read-gate.ts), waiting in its queue. */
  private held = false;
  /** The gate's own (GateMember). */
  gateOpenMark = 0;

  constructor(
    readonly sock: Socket,
    private readonly ctx: FastConnectionContext,
    now: number,
  ) {
    this.lastActiveAt = now;
    this.charge = new ConnectionCharge(ctx.budget);
    sock.on('data', this.onData);
    sock.on('close', this.onClose);
    sock.on('end', this.onEnd);
    sock.on('error', () => sock.destroy());
  }

  /** The request took longer than its limit to arrive: 408, as node:http answers. */
  timeOut(): void {
    if (!this.busy && this.endedAt === 0) this.finish(REQUEST_TIMEOUT_BYTES);
  }

  /** Ends an idle connection with a FIN (not a reset). */
  closeIdle(): void {
    if (!this.busy && this.endedAt === 0) this.finish();
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.endedAt > 0) return;
    this.lastActiveAt = Date.now();
    this.charge.arrived(chunk.length);
    if (this.bytes.size === 0) this.queuedSince = process.hrtime.bigint();
    this.bytes.push(chunk);
    if (this.busy) {
      if (this.bytes.size > READ_AHEAD_BYTES || this.ctx.budget.exhausted) this.pauseReading();
      return;
    }
    // Bytes of a read already under way when the gate held it: served when it is resumed.
    if (this.held) return;
    // Past the turn's budget: kept unparsed until the turn's end, and nothing more is read meanwhile.
    if (!this.ctx.gate.admit(this)) return this.hold(true);
    this.pump();
    this.readOn();
  };

  /** The gate's turn came: serve what was buffered, then read on (or wait again, answered, in a busy turn). */
  resumeFromGate(): void {
    this.held = false;
    if (this.endedAt > 0) return;
    if (this.bytes.size > 0) {
      this.pump();
      if (this.endedAt > 0 || this.sock.destroyed) return;
      this.endIfDone();
      if (this.bytes.size === 0 && !this.busy && this.ctx.gate.congested) return this.hold(false);
    }
    startReading(this.sock);
  }

  private readonly onClose = (): void => {
    this.ctx.forget(this);
    this.ctx.gate.forget(this);
    this.charge.releaseAll();
  };

  private readonly onEnd = (): void => {
    this.ended = true;
    if (this.endedAt > 0) this.sock.destroy();
    else this.endIfDone();
  };

  private pump(): void {
    while (!this.busy && this.bytes.size > 0 && this.endedAt === 0) {
      if (this.requestStartedAt === 0) {
        this.requestStartedAt = Date.now();
        this.firstByteAt = this.queuedSince;
      }
      if (!this.pending && !this.readHead()) return;
      const { head, headBytes, source } = this.pending as NonNullable<typeof this.pending>;
      const held = headBytes + head.contentLength;
      if (this.bytes.size < held) return;
      this.pending = null;
      this.requestStartedAt = 0;
      this.bytes.take(headBytes);
      const body = this.bytes.take(head.contentLength);
      this.busy = true;
      const firstByteAt = this.firstByteAt;
      const answer = this.ctx.ingest(body, head.signature, source);
      // A shed 503 is decided at once and written now, inside this loop (which goes on with what is
      // buffered); under overload it then does not wait behind the 200s of a commit settled this turn.
      if (!(answer instanceof Promise)) this.deliver(answer, head.close, held, firstByteAt, source, true);
      else
        answer.then(
          (a) => this.deliver(a, head.close, held, firstByteAt, source, false),
          () => this.sock.destroy(),
        );
    }
  }

  private deliver(
    answer: Answer,
    askedToClose: boolean,
    held: number,
    firstByteAt: bigint,
    source: string,
    inPump: boolean,
  ): void {
    if (answer.status === 401) this.ctx.onSignatureFailed?.(source);
    const open = !this.sock.destroyed;
    this.answered(answer, askedToClose, held, inPump);
    if (open) this.ctx.onAnswer?.(answer.status, firstByteAt);
  }

  /** Reads the head of the next request; false if it is incomplete, handed off or refused. */
  private readHead(): boolean {
    const all = this.bytes.all();
    const end = findHeadEnd(all, this.scanned);
    if (end === HEAD_INCOMPLETE) {
      if (this.bytes.size > this.ctx.maxHeaderBytes) this.handOff();
      else this.scanned = Math.max(0, this.bytes.size - 3);
      return false;
    }
    const headBytes = end + 4;
    const head =
      end === HEAD_UNUSUAL || headBytes > this.ctx.maxHeaderBytes
        ? null
        : parseRequestHead(all.toString('latin1', 0, end), this.ctx.webhookPath);
    this.scanned = 0;
    if (!head) return (this.handOff(), false);
    if (head.contentLength > this.ctx.maxBodyBytes) return this.refuse(this.ctx.tooLarge());
    const remote = this.sock.remoteAddress ?? '';
    const source = this.ctx.admit ? this.ctx.admit(remote, head.forwardedFor) : remote;
    if (typeof source !== 'string') return this.refuse(source);
    if (!this.charge.reserve(headBytes + head.contentLength - this.bytes.size))
      return this.refuse(this.ctx.overloaded());
    this.pending = { head, headBytes, source };
    return true;
  }

  /** `inPump`: answered from inside pump(), whose loop reads on; otherwise this reads on. */
  private answered(answer: Answer, askedToClose: boolean, held: number, inPump: boolean): void {
    this.busy = false;
    this.charge.release(held);
    if (this.sock.destroyed) return;
    this.lastActiveAt = Date.now();
    if (askedToClose || this.ctx.closing) return this.finish(this.answer(answer));
    this.sock.write(this.ctx.answers.serialize(answer, false));
    if (this.paused) {
      this.paused = false;
      this.sock.resume();
    }
    if (inPump) return;
    this.pump();
    this.endIfDone();
    this.readOn();
  }

  /** Answered and nothing buffered: in a turn past its budget the next request stays in the kernel for now. */
  private readOn(): void {
    if (this.busy || this.held || this.ended || this.endedAt > 0 || this.bytes.size > 0) return;
    if (this.sock.destroyed) return;
    if (this.ctx.gate.congested) this.hold(false);
    else this.ctx.gate.reading(this);
  }

  holdFromGate(): void {
    this.held = true;
    stopReading(this.sock);
  }

  /** Stops reading and joins the gate's queue (`withBytes`: it holds bytes not yet processed). */
  private hold(withBytes: boolean): void {
    this.holdFromGate();
    this.ctx.gate.hold(this, withBytes);
  }

  /** Answers a POST refused before its body is read, and closes. */
  private refuse(answer: Answer): false {
    this.finish(this.answer(answer));
    this.ctx.onAnswer?.(answer.status, this.firstByteAt);
    return false;
  }

  private answer(answer: Answer): Buffer {
    return this.ctx.answers.serialize(answer, true);
  }

  /** Ends our side (with a last answer), drops what is buffered and reads on only to discard. */
  private finish(last?: Buffer): void {
    this.endedAt = Date.now();
    this.charge.releaseAll();
    this.bytes.clear();
    this.pending = null;
    this.requestStartedAt = 0;
    // Closing with unread bytes in the kernel's buffer sends a reset that can destroy the answer
    // before the client reads it; reading on until the client closes (or the linger limit) avoids it.
    if (this.paused) this.sock.resume();
    this.ctx.gate.forget(this);
    if (this.held) {
      this.held = false;
      startReading(this.sock);
    }
    if (last) this.sock.end(last);
    else this.sock.end();
  }

  private endIfDone(): void {
    if (!this.ended || this.busy || this.held || this.endedAt > 0) return;
    // node:http answers 400 to a request cut short by the client's FIN and ignores stray line breaks.
    const leftover = this.bytes.all();
    this.finish(leftover.every((b) => b === 13 || b === 10) ? undefined : BAD_REQUEST_BYTES);
  }

  private handOff(): void {
    this.sock.removeListener('data', this.onData);
    this.sock.removeListener('close', this.onClose);
    this.sock.removeListener('end', this.onEnd);
    this.ctx.forget(this);
    this.ctx.gate.forget(this);
    this.charge.releaseAll();
    // Bytes cannot be put back into a stream that has ended: a request node:http would have to
    // answer, pipelined behind fast-path POSTs and followed by a half-close, is dropped.
    if (this.ended) return void this.sock.destroy();
    this.sock.pause();
    if (this.bytes.size > 0) this.sock.unshift(this.bytes.all());
    this.bytes.clear();
    this.ctx.fallback(this.sock);
    // node:http listens for 'data' itself; the bytes put back with unshift flow once resumed.
    this.sock.resume();
  }

  private pauseReading(): void {
    if (this.paused) return;
    this.paused = true;
    this.sock.pause();
  }
}
