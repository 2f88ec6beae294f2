import { createServer, type Server, type Socket } from 'node:net';
import { parseRequestHead } from './parse-request-head.js';
import type { Answer } from './ingest-delivery.js';

export interface FastIngressOptions {
  readonly webhookPath: string;
  readonly maxBodyBytes: number;
  readonly maxHeaderBytes?: number;
  readonly idleTimeoutMs?: number;
  /** A request whose head and body are not complete within this time is cut (slow-loris guard). */
  readonly requestTimeoutMs?: number;
  /** The webhook POST once its bytes are in (shared with the node:http path). */
  readonly ingest: (body: Buffer, signature: string | undefined, startedAt: bigint) => Promise<Answer>;
  readonly tooLarge: () => Answer;
  /** Takes over a connection the fast path does not handle (node:http: `server.emit('connection', s)`). */
  readonly fallback: (socket: Socket) => void;
}

export interface FastIngress {
  readonly server: Server;
  /** Stop accepting; idle connections close now, busy ones after their current answer. */
  shutdown(): void;
  /** Cut every connection still open on the fast path. */
  destroyAll(): void;
}

const CRLF2 = Buffer.from('\r\n\r\n');

interface ConnectionState {
  /** Waiting for the answer to a request (never cut as idle meanwhile). */
  busy: boolean;
  lastActiveAt: number;
  /** When the first byte of the request being read arrived; 0 between requests. */
  requestStartedAt: number;
}
const REASONS: Record<number, string> = {
  200: 'OK',
  401: 'Unauthorized',
  413: 'Payload Too Large',
  503: 'Service Unavailable',
};

let dateCache = '';
let dateAt = 0;
function httpDate(): string {
  const now = Date.now();
  if (now - dateAt >= 1000) {
    dateAt = now - (now % 1000);
    dateCache = new Date(dateAt).toUTCString();
  }
  return dateCache;
}

/** The keep-alive 200 is the answer to nearly every request: built once per second (its Date). */
let okCache: { answer: Answer; date: string; bytes: Buffer } | null = null;
function serialize(a: Answer, close: boolean): Buffer {
  if (!close && a.status === 200) {
    const date = httpDate();
    if (okCache?.answer === a && okCache.date === date) return okCache.bytes;
    const bytes = serializeNow(a, false);
    okCache = { answer: a, date, bytes };
    return bytes;
  }
  return serializeNow(a, close);
}

function serializeNow(a: Answer, close: boolean): Buffer {
  let head = `HTTP/1.1 ${a.status} ${REASONS[a.status] ?? 'Status'}\r\nDate: ${httpDate()}\r\n`;
  for (const [k, v] of Object.entries(a.headers)) if (k !== 'connection') head += `${k}: ${v}\r\n`;
  head += `Content-Length: ${a.body.length}\r\n`;
  head += close ? 'Connection: close\r\n\r\n' : 'Connection: keep-alive\r\nKeep-Alive: timeout=65\r\n\r\n';
  return Buffer.concat([Buffer.from(head, 'latin1'), a.body]);
}

/**
 * A lean HTTP/1.1 front for the hot path. node:http costs ~20 µs of CPU per request in objects
 * and events; on a 2-core machine that CPU is what the durable writer needs. Plain webhook POSTs
 * with a Content-Length are parsed here; every other request (GET handshake, API, chunked bodies,
 * anything unusual) is handed, bytes untouched, to the node:http server on the same port.
 */
export function createFastIngress(opts: FastIngressOptions): FastIngress {
  const sockets = new Map<Socket, ConnectionState>();
  let closing = false;
  const maxHeader = opts.maxHeaderBytes ?? 16 * 1024;
  const idleMs = opts.idleTimeoutMs ?? 65_000;
  const requestMs = opts.requestTimeoutMs ?? 60_000;
  // One sweep over the connections instead of a timer armed and cleared per request and per read:
  // a connection idle longer than idleMs, or whose request has not arrived whole within
  // requestMs of its first byte (slow-loris guard: the idle limit alone would let a client
  // trickle one byte a minute), is cut within a quarter of that limit.
  const sweep = setInterval(
    () => {
      const now = Date.now();
      for (const [sock, st] of sockets) {
        if (st.requestStartedAt > 0 && now - st.requestStartedAt > requestMs) sock.destroy();
        else if (!st.busy && now - st.lastActiveAt > idleMs) sock.destroy();
      }
    },
    Math.max(10, Math.min(1000, Math.floor(Math.min(idleMs, requestMs) / 4))),
  );
  sweep.unref();

  // allowHalfOpen: a client may send its requests and then close its side (RFC 9112 §9.6); without
  // it the socket would close at once and the answers to what was received would be lost.
  const server = createServer({ noDelay: true, allowHalfOpen: true }, (sock) => {
    const state: ConnectionState = { busy: false, lastActiveAt: Date.now(), requestStartedAt: 0 };
    sockets.set(sock, state);
    let chunks: Buffer[] = [];
    let size = 0;
    /** The client closed its side: close ours once nothing is left to answer. */
    let ended = false;
    const endIfDone = () => {
      if (!ended || state.busy || !sockets.has(sock)) return;
      sockets.delete(sock);
      sock.end();
    };
    const handOff = () => {
      sock.removeListener('data', onData);
      sock.removeListener('close', onClose);
      sock.removeListener('end', onEnd);
      sockets.delete(sock);
      // Bytes cannot be put back into a stream that has ended: a request node:http would have to
      // answer, pipelined behind fast-path POSTs and followed by a half-close, is dropped.
      if (ended) return void sock.destroy();
      sock.pause();
      if (size > 0) sock.unshift(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
      chunks = [];
      opts.fallback(sock);
      // node:http listens for 'data' itself; the bytes put back with unshift flow once resumed.
      sock.resume();
    };
    const take = (n: number): Buffer => {
      const all = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
      const out = all.subarray(0, n);
      const rest = all.subarray(n);
      chunks = rest.length > 0 ? [rest] : [];
      size = rest.length;
      return out;
    };
    // The head of the request being read, once parsed: later chunks only count bytes until the
    // whole body is in, so a 3 MB body is copied once, not once per chunk.
    let pending: { head: NonNullable<ReturnType<typeof parseRequestHead>>; headBytes: number } | null = null;
    const pump = (): void => {
      while (!state.busy && size > 0) {
        if (state.requestStartedAt === 0) state.requestStartedAt = Date.now();
        if (!pending) {
          const all = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
          chunks = [all];
          const he = all.indexOf(CRLF2);
          if (he < 0) {
            if (size > maxHeader) handOff();
            return;
          }
          const head = parseRequestHead(all.toString('latin1', 0, he), opts.webhookPath);
          if (!head) return handOff();
          if (head.contentLength > opts.maxBodyBytes) {
            sockets.delete(sock);
            sock.end(serialize(opts.tooLarge(), true));
            sock.destroySoon();
            return;
          }
          pending = { head, headBytes: he + 4 };
        }
        const { head, headBytes } = pending;
        if (size < headBytes + head.contentLength) return;
        pending = null;
        state.requestStartedAt = 0;
        const startedAt = process.hrtime.bigint();
        take(headBytes);
        const body = take(head.contentLength);
        state.busy = true;
        opts.ingest(body, head.signature, startedAt).then(
          (answer) => {
            const close = head.close || closing;
            sock.write(serialize(answer, close));
            state.busy = false;
            state.lastActiveAt = Date.now();
            if (close) {
              sockets.delete(sock);
              sock.end();
            } else {
              pump();
              endIfDone();
            }
          },
          () => sock.destroy(),
        );
      }
    };
    const onData = (chunk: Buffer) => {
      state.lastActiveAt = Date.now();
      chunks.push(chunk);
      size += chunk.length;
      pump();
    };
    const onClose = () => {
      sockets.delete(sock);
    };
    const onEnd = () => {
      ended = true;
      endIfDone();
    };
    sock.on('data', onData);
    sock.on('close', onClose);
    sock.on('end', onEnd);
    sock.on('error', () => sock.destroy());
  });
  server.once('close', () => clearInterval(sweep));

  return {
    server,
    shutdown() {
      closing = true;
      server.close();
      for (const [sock, s] of sockets) if (!s.busy) sock.end();
    },
    destroyAll() {
      for (const sock of sockets.keys()) sock.destroy();
    },
  };
}
