import { createServer, type Server, type Socket } from 'node:net';
import type { Answer, IngestBody } from './ingest-delivery.js';
import { AnswerBytes } from './answer-bytes.js';
import { ByteBudget } from './byte-budget.js';
import { FastConnection } from './fast-connection.js';
import { ReadGate } from './read-gate.js';
import type { FastConnectionContext } from './fast-connection-context.js';

export interface FastIngressOptions {
  readonly webhookPath: string;
  readonly maxBodyBytes: number;
  /** Heads longer than this are handed to node:http (which answers 431 past its own limit). */
  readonly maxHeaderBytes?: number;
  readonly idleTimeoutMs?: number;
  /** A request whose head and body are not complete within this time of its first byte gets 408 (slow-loris guard). */
  readonly requestTimeoutMs?: number;
  /** After shutdown began, idle connections are closed once idle this long (a request already on its way is answered). */
  readonly shutdownGraceMs?: number;
  /** Request bytes held in memory across all connections; past it new bodies get `overloaded()`. */
  readonly budget?: ByteBudget;
  /** Bounds the requests processed per event-loop turn (default: 10 ms of each turn, read-gate.ts). */
  readonly gate?: ReadGate;
  /** The webhook POST once its bytes are in (shared with the node:http path). `startedAt`: its first byte. */
  readonly ingest: IngestBody;
  readonly tooLarge: () => Answer;
  /** 503 + Retry-After when the budget cannot hold another body. */
  readonly overloaded?: () => Answer;
  /** Decides, before the body is read, whom to believe the request is from — or refuses it (403). */
  readonly admit?: (remote: string, forwardedFor: string | undefined) => string | Answer;
  /** Told about each webhook POST answered, once its answer is written: its status and when its first byte was read (hrtime). */
  readonly onAnswer?: (status: number, firstByteAt: bigint) => void;
  /** Told about each request answered 401, with its source address (rate limit of forged POSTs). */
  readonly onSignatureFailed?: (source: string) => void;
  /** Takes over a connection the fast path does not handle (node:http: `server.emit('connection', s)`). */
  readonly fallback: (socket: Socket) => void;
}

export interface FastIngress {
  readonly server: Server;
  readonly budget: ByteBudget;
  /** Stop accepting; busy connections close after their answer, idle ones after the grace period. */
  shutdown(): void;
  /** Cut every connection still open on the fast path. */
  destroyAll(): void;
}

/** A connection we ended is destroyed this long after, if the client never closes its side. */
const LINGER_MS = 1000;
const DEFAULT_BUDGET_BYTES = 256 * 1024 * 1024;
const OVERLOADED: Answer = { status: 503, headers: { 'retry-after': '5' }, body: Buffer.alloc(0) };

/**
 * A lean HTTP/1.1 front for the hot path. node:http costs ~20 µs of CPU per request in objects
 * and events; on a 2-core machine that CPU is what the durable writer needs. Plain webhook POSTs
 * with a Content-Length are parsed here (fast-connection.ts); every other request (GET handshake,
 * API, chunked bodies, anything unusual) is handed, bytes untouched, to the node:http server on the
 * same port.
 */
export function createFastIngress(opts: FastIngressOptions): FastIngress {
  const connections = new Set<FastConnection>();
  const idleMs = opts.idleTimeoutMs ?? 65_000;
  const requestMs = opts.requestTimeoutMs ?? 10_000;
  const graceMs = opts.shutdownGraceMs ?? 1000;
  const budget = opts.budget ?? new ByteBudget(DEFAULT_BUDGET_BYTES);
  let closing = false;
  const context: FastConnectionContext = {
    webhookPath: opts.webhookPath,
    maxBodyBytes: opts.maxBodyBytes,
    maxHeaderBytes: opts.maxHeaderBytes ?? 8 * 1024,
    budget,
    answers: new AnswerBytes(),
    gate: opts.gate ?? new ReadGate(),
    get closing() {
      return closing;
    },
    ingest: opts.ingest,
    tooLarge: opts.tooLarge,
    overloaded: opts.overloaded ?? (() => OVERLOADED),
    admit: opts.admit,
    onSignatureFailed: opts.onSignatureFailed,
    onAnswer: opts.onAnswer,
    fallback: opts.fallback,
    forget: (connection) => connections.delete(connection),
  };
  // One sweep over the connections instead of a timer armed and cleared per request and per read:
  // a request not whole within requestMs of its first byte (the idle limit alone would let a
  // client trickle one byte a minute), an idle connection, and one we ended that the client keeps
  // open are each dealt with within a quarter of their limit.
  const sweep = setInterval(
    () => {
      const now = Date.now();
      for (const connection of connections) {
        if (connection.endedAt > 0) {
          if (now - connection.endedAt > LINGER_MS) connection.sock.destroy();
        } else if (connection.requestStartedAt > 0) {
          if (now - connection.requestStartedAt > requestMs) connection.timeOut();
        } else if (!connection.busy && now - connection.lastActiveAt > (closing ? graceMs : idleMs))
          connection.closeIdle();
      }
    },
    Math.max(10, Math.min(1000, Math.floor(Math.min(idleMs, requestMs, graceMs) / 4))),
  );
  sweep.unref();

  // allowHalfOpen: a client may send its requests and then close its side (RFC 9112 §9.6); without
  // it the socket would close at once and the answers to what was received would be lost.
  const server = createServer({ noDelay: true, allowHalfOpen: true }, (sock) => {
    connections.add(new FastConnection(sock, context, Date.now()));
  });
  server.once('close', () => clearInterval(sweep));

  return {
    server,
    budget,
    shutdown() {
      // Idle keep-alive connections are not ended at once: a client may have sent its next request
      // already, and a FIN crossing it is a reset for that request. Each answer from now on closes
      // its connection (Connection: close); connections still idle after the grace period are ended.
      // The listener stays open for that grace too: connections the kernel already accepted into
      // its backlog would otherwise be reset with their requests unanswered.
      closing = true;
      const stop = setTimeout(() => server.close(), graceMs);
      server.once('close', () => clearTimeout(stop));
    },
    destroyAll() {
      for (const connection of connections) connection.sock.destroy();
    },
  };
}
