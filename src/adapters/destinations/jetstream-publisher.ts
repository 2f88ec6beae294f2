/**
 * JetStream publishes pipelined on one NATS connection: each message is a core publish whose reply
 * subject is under one inbox subscription, and the stream's PubAck (or the server's "no responders")
 * comes back there. The client's own `js.publish` is a request per message: a reply mux entry, a
 * timer, and a `NatsError` built (its stack captured) even when the request succeeds — in a profile
 * of `bench:forward` those were the largest part of a publish. Here one sweep timer per connection
 * forgets messages never answered; the attempt's own deadline (broker-attempt.ts) reports them.
 * Protocol: https://docs.nats.io/reference/reference-protocols/nats_api_reference (PubAck).
 */
import { createInbox, type Msg, type MsgHdrs, type NatsConnection, type NatsError } from 'nats';
import type { EncodedHeaders } from './nats-headers.js';

export interface PubAck {
  readonly stream: string;
  readonly seq: number;
  readonly duplicate: boolean;
}

/** The server found no subscriber for the subject: no stream takes it. */
export class NoStreamError extends Error {
  constructor(readonly subject: string) {
    super(`no JetStream stream takes the subject ${subject}: create one (nats stream add)`);
    this.name = 'NoStreamError';
  }
}

interface Waiting {
  readonly subject: string;
  readonly sentAt: number;
  readonly resolve: (ack: PubAck) => void;
  readonly reject: (err: Error) => void;
}

const decoder = new TextDecoder();

export class JetStreamPublisher {
  private readonly prefix = `${createInbox()}.`;
  private readonly waiting = new Map<string, Waiting>();
  private next = 0;
  private sweeper: NodeJS.Timeout | undefined;

  /** `forgetAfterMs`: a message unanswered this long is rejected and forgotten. */
  constructor(
    private readonly nc: NatsConnection,
    private readonly forgetAfterMs: number,
  ) {
    nc.subscribe(`${this.prefix}*`, { callback: (err, msg) => this.answered(err, msg) });
    void nc.closed().then((err) => this.failAll(err ?? new Error('the NATS connection was closed')));
  }

  publish(subject: string, data: Uint8Array, headers: EncodedHeaders): Promise<PubAck> {
    const token = String(++this.next);
    return new Promise<PubAck>((resolve, reject) => {
      this.waiting.set(token, { subject, sentAt: performance.now(), resolve, reject });
      try {
        // nats.js only encodes the headers it is given (nats-headers.ts).
        this.nc.publish(subject, data, {
          reply: this.prefix + token,
          headers: headers as unknown as MsgHdrs,
        });
      } catch (err) {
        this.waiting.delete(token);
        reject(err as Error);
        return;
      }
      this.sweeper ??= setInterval(() => this.sweep(), this.forgetAfterMs).unref();
    });
  }

  private answered(err: NatsError | null, msg: Msg): void {
    // An error of the subscription itself (a permission refused): no answer will come.
    if (err) return this.failAll(err);
    const token = msg.subject.slice(this.prefix.length);
    const w = this.waiting.get(token);
    if (!w) return; // forgotten (its attempt gave up), or not ours
    this.waiting.delete(token);
    if (msg.data.length === 0 && msg.headers?.code === 503) return w.reject(new NoStreamError(w.subject));
    try {
      const ack = JSON.parse(decoder.decode(msg.data)) as {
        stream?: string;
        seq?: number;
        duplicate?: boolean;
        error?: { code?: number; err_code?: number; description?: string };
      };
      if (ack.error) {
        const code = ack.error.err_code ?? ack.error.code;
        return w.reject(new Error(`JetStream refused the message: ${ack.error.description} (${code})`));
      }
      if (!ack.stream) return w.reject(new Error('JetStream answered without a stream (invalid ack)'));
      w.resolve({ stream: ack.stream, seq: Number(ack.seq), duplicate: ack.duplicate === true });
    } catch (e) {
      w.reject(new Error(`JetStream answered something that is not a PubAck: ${String(e)}`));
    }
  }

  private sweep(): void {
    const before = performance.now() - this.forgetAfterMs;
    for (const [token, w] of this.waiting) {
      // Map order is publish order: the first one still recent ends the sweep.
      if (w.sentAt > before) break;
      this.waiting.delete(token);
      w.reject(new Error(`no answer within ${this.forgetAfterMs} ms`));
    }
    if (this.waiting.size === 0) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }

  private failAll(err: Error): void {
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}
