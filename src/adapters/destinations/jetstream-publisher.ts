/**
 * JetStream publishes pipelined on one NATS connection: each message is a core publish whose reply
 * subject is under one inbox subscription, and the stream's PubAck (or the server's "no responders")
 * comes back there. The client's own `js.publish` is a request per message: a reply mux entry, a
 * timer, and a `NatsError` built (its stack captured) even when the request succeeds — in a profile
 * of `bench:forward` those were the largest part of a publish. Here one sweep timer per connection
 * forgets messages never answered; the attempt's own deadline (broker-attempt.ts) reports them.
 *
 * A batch of messages is written as one block of `HPUB` frames (one string, encoded once) handed to
 * the client's outbound buffer, and waits as one entry: nats.js's `publish` encoded each frame's
 * command line on its own, copied command, headers, body and CRLF into its buffer as four pieces
 * and needed a Buffer per body and a promise per message — together about a quarter of the main
 * thread's time in a nats drain (docs/benchmarks.md, "CPU per delivered event"). The block is what
 * `publish` writes, frame for frame: `HPUB <subject> <reply> <header bytes> <total bytes>`, the
 * header block, the body, CRLF. nats.js (pinned) has no public call for it; without its
 * `protocol.sendCommand` each message goes through `publish` as before.
 * Protocol: https://docs.nats.io/reference/reference-protocols/nats_protocol (HPUB) and
 * https://docs.nats.io/reference/reference-protocols/nats_api_reference (PubAck).
 */
import { createInbox, type Msg, type MsgHdrs, type NatsConnection, type NatsError } from 'nats';
import { readPubAck, type PubAck } from './read-pub-ack.js';

export type { PubAck } from './read-pub-ack.js';

/** One message to publish: its subject, its header block's text (natsHeaderText) and its body. */
export interface JetStreamMessage {
  readonly subject: string;
  readonly headers: string;
  readonly body: string;
}

/** Told once for each message of a batch (by its index): the stream's PubAck, or why it failed. */
export type PublishAnswer = (index: number, ack: PubAck | null, err: Error | null) => void;

/** The server found no subscriber for the subject: no stream takes it. */
export class NoStreamError extends Error {
  constructor(readonly subject: string) {
    super(`no JetStream stream takes the subject ${subject}: create one (nats stream add)`);
    this.name = 'NoStreamError';
  }
}

interface Waiting {
  readonly messages: readonly JetStreamMessage[];
  readonly sentAt: number;
  readonly answer: PublishAnswer;
  /** 1 where the message was answered (an answer is taken once). */
  readonly answered: Uint8Array;
  left: number;
  readonly done: () => void;
}

/** The part of nats.js's protocol handler a block of frames is written through (nats 2.29). */
interface Outbound {
  sendCommand(frames: Uint8Array): void;
}

const decoder = new TextDecoder();
/** A subject with whitespace would break the frames after it (nats.js only refuses an empty one). */
const BAD_SUBJECT = /\s/;

export class JetStreamPublisher {
  private readonly prefix = `${createInbox()}.`;
  private readonly waiting = new Map<string, Waiting>();
  private readonly outbound: Outbound | null;
  private next = 0;
  private sweeper: NodeJS.Timeout | undefined;

  /** `forgetAfterMs`: a message unanswered this long is failed and forgotten. */
  constructor(
    private readonly nc: NatsConnection,
    private readonly forgetAfterMs: number,
  ) {
    const protocol = (nc as unknown as { protocol?: Partial<Outbound> }).protocol;
    this.outbound = typeof protocol?.sendCommand === 'function' ? (protocol as Outbound) : null;
    nc.subscribe(`${this.prefix}*`, { callback: (err, msg) => this.answered(err, msg) });
    void nc.closed().then((err) => this.failAll(err ?? new Error('the NATS connection was closed')));
  }

  /** One message; resolves with its PubAck. */
  publish(message: JetStreamMessage): Promise<PubAck> {
    return new Promise<PubAck>((resolve, reject) => {
      void this.publishBatch([message], (_i, ack, err) => (ack ? resolve(ack) : reject(err)));
    });
  }

  /**
   * Publishes every message at once; `answer` is told about each (its index in `messages`) as its
   * PubAck arrives, or when it fails. Resolves once every message has been answered.
   */
  publishBatch(messages: readonly JetStreamMessage[], answer: PublishAnswer): Promise<void> {
    return new Promise<void>((done) => {
      const token = String(++this.next);
      const w: Waiting = {
        messages,
        sentAt: performance.now(),
        answer,
        answered: new Uint8Array(messages.length),
        left: messages.length,
        done,
      };
      this.waiting.set(token, w);
      try {
        this.send(messages, `${this.prefix}${token}_`, w);
      } catch (err) {
        this.fail(token, w, err as Error);
        return;
      }
      if (w.left === 0) {
        this.waiting.delete(token);
        done();
        return;
      }
      this.sweeper ??= setInterval(() => this.sweep(), this.forgetAfterMs).unref();
    });
  }

  /** The frames of `messages`, as one block; a message the server would refuse fails alone. */
  private send(messages: readonly JetStreamMessage[], reply: string, w: Waiting): void {
    // The checks nats.js's publish makes (nats.js, _check and protocol.publish).
    if (this.nc.isClosed()) throw new Error('the NATS connection is closed');
    if (this.nc.isDraining()) throw new Error('the NATS connection is draining');
    const info = this.nc.info;
    if (info && !info.headers) throw new Error('the NATS server does not support headers');
    const maxPayload = info?.max_payload ?? Infinity;
    if (!this.outbound) return this.sendEach(messages, reply, w);
    // Each frame's command line and byte count first, then the frames written into one Buffer of
    // that size: a string of the whole block was flattened (every body copied once more) and then
    // encoded, and a block of 100 messages is a string of the large object space.
    const lines: Array<string | null> = new Array<string | null>(messages.length);
    let size = 0;
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i] as JetStreamMessage;
      const problem = refusal(m.subject);
      const hlen = Buffer.byteLength(m.headers);
      const len = hlen + Buffer.byteLength(m.body);
      if (problem !== null || len > maxPayload) {
        lines[i] = null;
        this.take(
          w,
          i,
          null,
          new Error(
            problem ?? `the message is larger than the server's max_payload (${len} > ${maxPayload} bytes)`,
          ),
        );
        continue;
      }
      const line = `HPUB ${m.subject} ${reply}${i} ${hlen} ${len}\r\n`;
      lines[i] = line;
      size += Buffer.byteLength(line) + len + 2;
    }
    if (size === 0) return;
    const frames = Buffer.allocUnsafe(size);
    let at = 0;
    for (let i = 0; i < messages.length; i++) {
      const line = lines[i];
      if (line === null || line === undefined) continue;
      const m = messages[i] as JetStreamMessage;
      at += frames.write(line, at);
      at += frames.write(m.headers, at);
      at += frames.write(m.body, at);
      frames[at++] = 13; // CR
      frames[at++] = 10; // LF
    }
    this.outbound.sendCommand(frames);
  }

  /** Without the protocol's sendCommand: nats.js's publish, message by message. */
  private sendEach(messages: readonly JetStreamMessage[], reply: string, w: Waiting): void {
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i] as JetStreamMessage;
      try {
        const problem = refusal(m.subject);
        if (problem !== null) throw new Error(problem);
        const headers = Buffer.from(m.headers);
        this.nc.publish(m.subject, Buffer.from(m.body), {
          reply: `${reply}${i}`,
          headers: { encode: () => headers } as unknown as MsgHdrs,
        });
      } catch (err) {
        this.take(w, i, null, err as Error);
      }
    }
  }

  /** Records message `i`'s answer once; the batch is done when every message has one. */
  private take(w: Waiting, i: number, ack: PubAck | null, err: Error | null): void {
    if (w.answered[i] === 1) return;
    w.answered[i] = 1;
    w.left--;
    w.answer(i, ack, err);
  }

  private answered(err: NatsError | null, msg: Msg): void {
    // An error of the subscription itself (a permission refused): no answer will come.
    if (err) return this.failAll(err);
    const subject = msg.subject;
    const at = subject.lastIndexOf('_');
    const token = subject.slice(this.prefix.length, at);
    const w = this.waiting.get(token);
    if (!w) return; // forgotten (its attempt gave up), or not ours
    const i = Number(subject.slice(at + 1));
    const m = w.messages[i];
    if (m === undefined) return;
    const ack = pubAck(msg, m);
    if (ack instanceof Error) this.take(w, i, null, ack);
    else this.take(w, i, ack, null);
    if (w.left === 0) {
      this.waiting.delete(token);
      w.done();
    }
  }

  private fail(token: string, w: Waiting, err: Error): void {
    for (let i = 0; i < w.messages.length; i++) this.take(w, i, null, err);
    this.waiting.delete(token);
    w.done();
  }

  private sweep(): void {
    const before = performance.now() - this.forgetAfterMs;
    for (const [token, w] of this.waiting) {
      // Map order is publish order: the first one still recent ends the sweep.
      if (w.sentAt > before) break;
      this.fail(token, w, new Error(`no answer within ${this.forgetAfterMs} ms`));
    }
    if (this.waiting.size === 0) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }

  private failAll(err: Error): void {
    for (const [token, w] of this.waiting) this.fail(token, w, err);
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}

function refusal(subject: string): string | null {
  if (subject === '') return 'the NATS subject is empty';
  if (BAD_SUBJECT.test(subject)) return `the NATS subject ${JSON.stringify(subject)} contains whitespace`;
  return null;
}

/** The server's answer to message `m`: its PubAck, or the error it stands for. */
function pubAck(msg: Msg, m: JetStreamMessage): PubAck | Error {
  if (msg.data.length === 0 && msg.headers?.code === 503) return new NoStreamError(m.subject);
  return readPubAck(decoder.decode(msg.data));
}
