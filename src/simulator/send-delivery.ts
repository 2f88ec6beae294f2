import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { signBody } from '../core/verify-signature.js';
import { serializeLikeMeta } from './escape-json.js';

export interface SendDeliveryOptions {
  readonly url: string | URL;
  /** App secret used for `X-Hub-Signature-256`. */
  readonly secret: string;
  /** Bytes or a string are sent exactly as given; anything else is serialized the way Meta does. */
  readonly body: unknown;
  /** Whole-request timeout (connect → last response byte). Default 10 s. */
  readonly timeoutMs?: number;
  /** Keep-alive agent to reuse connections (load mode); default: a fresh connection per request. */
  readonly agent?: http.Agent;
  /** Extra or overriding headers (e.g. a deliberately wrong signature in a test). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface SendResult {
  /** HTTP status, or null when no answer came (timeout, refused, reset…). */
  readonly status: number | null;
  readonly latencyMs: number;
  /** Size of the body sent. */
  readonly bytes: number;
  /** Why there was no answer: `timeout`, or the socket error code (ECONNREFUSED, ECONNRESET…). */
  readonly error?: string;
  /** The start of the answer body, for diagnostics. */
  readonly responseText?: string;
}

const RESPONSE_TEXT_LIMIT = 512;

/** Turns any accepted body into the exact bytes to put on the wire (and sign). */
export function deliveryBytes(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return serializeLikeMeta(body);
}

/**
 * POSTs one delivery like Meta's webhook sender (Meta's docs on event notifications): `Content-Type: application/json`,
 * `X-Hub-Signature-256` computed over the very bytes written. Never throws for network trouble: the
 * outcome is a value, so retry logic and load statistics can count it.
 */
export function sendDelivery(options: SendDeliveryOptions): Promise<SendResult> {
  const url = new URL(options.url);
  const bytes = deliveryBytes(options.body);
  const transport = url.protocol === 'https:' ? https : http;
  const headers = {
    'content-type': 'application/json',
    'content-length': String(bytes.length),
    'x-hub-signature-256': signBody(bytes, options.secret),
    // The user agent integrators report for Meta's webhook requests (not stated in the reference).
    'user-agent': 'facebookexternalua',
    ...options.headers,
  };
  const started = performance.now();
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: Omit<SendResult, 'latencyMs' | 'bytes'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, latencyMs: performance.now() - started, bytes: bytes.length });
    };
    const req = transport.request(url, { method: 'POST', headers, agent: options.agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (text.length < RESPONSE_TEXT_LIMIT) text += chunk.slice(0, RESPONSE_TEXT_LIMIT - text.length);
      });
      res.on('end', () => finish({ status: res.statusCode ?? null, responseText: text }));
      res.on('error', (err: NodeJS.ErrnoException) =>
        finish({ status: null, error: err.code ?? err.message }),
      );
    });
    const timer = setTimeout(() => {
      finish({ status: null, error: 'timeout' });
      req.destroy();
    }, options.timeoutMs ?? 10_000);
    req.on('error', (err: NodeJS.ErrnoException) => finish({ status: null, error: err.code ?? err.message }));
    req.end(bytes);
  });
}
