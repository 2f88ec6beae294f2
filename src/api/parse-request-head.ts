import { isWebhookPath } from './is-webhook-path.js';

/** What the fast path needs from a request head; anything else is handed to node:http. */
export interface FastHead {
  readonly contentLength: number;
  readonly signature: string | undefined;
  /** The client asked to close the connection after this request. */
  readonly close: boolean;
  /** `X-Forwarded-For` as sent (believed only from a trusted proxy). */
  readonly forwardedFor: string | undefined;
}

/** Heads with more header lines than this go to node:http (which keeps at most 2,000 of them). */
export const MAX_FAST_HEADER_LINES = 64;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const DIGITS = /^\d{1,15}$/;

/**
 * Parses the head (request line + headers, without the final CRLF CRLF) of a webhook POST whose
 * bytes findHeadEnd() already checked (printable ASCII and tab, lines ending in CR LF).
 *
 * It takes a strict subset of what node:http takes, and returns null for the rest so node:http
 * (llhttp) answers it: another method or path, HTTP/1.0, a target with a space, no or several
 * `Host` (node:http answers 400 to a missing one), chunked or duplicated framing headers, `Expect`,
 * `Upgrade`, folded or malformed lines, many headers. So the fast path never accepts what node:http
 * refuses, and a request with both Content-Length and Transfer-Encoding is never handled here
 * (test/integration/parser-differential.test.ts runs both on the same bytes).
 */
export function parseRequestHead(head: string, webhookPath: string): FastHead | null {
  const lineEnd = head.indexOf('\r\n');
  const requestLine = lineEnd < 0 ? head : head.slice(0, lineEnd);
  if (!requestLine.startsWith('POST ') || !requestLine.endsWith(' HTTP/1.1')) return null;
  const target = requestLine.slice(5, -9);
  if (target.length === 0 || target.includes(' ')) return null;
  const q = target.indexOf('?');
  if (!isWebhookPath(q < 0 ? target : target.slice(0, q), webhookPath)) return null;
  let contentLength = -1;
  let signature: string | undefined;
  let forwardedFor: string | undefined;
  let close = false;
  let hosts = 0;
  let lines = 0;
  let pos = lineEnd < 0 ? head.length : lineEnd + 2;
  while (pos < head.length) {
    if (++lines > MAX_FAST_HEADER_LINES) return null;
    let end = head.indexOf('\r\n', pos);
    if (end < 0) end = head.length;
    const line = head.slice(pos, end);
    pos = end + 2;
    const colon = line.indexOf(':');
    if (colon <= 0) return null;
    const name = line.slice(0, colon);
    if (!TOKEN.test(name)) return null;
    const value = line.slice(colon + 1).trim();
    switch (name.toLowerCase()) {
      case 'host':
        hosts++;
        break;
      case 'content-length':
        if (contentLength >= 0 || !DIGITS.test(value)) return null;
        contentLength = Number(value);
        break;
      case 'transfer-encoding':
      case 'expect':
      case 'upgrade':
        return null;
      case 'x-hub-signature-256':
        if (signature !== undefined) return null;
        signature = value;
        break;
      case 'x-forwarded-for':
        // Several lines form one list (RFC 9110 §5.3); node:http would join them with ", ".
        forwardedFor = forwardedFor === undefined ? value : `${forwardedFor}, ${value}`;
        break;
      case 'connection':
        if (/(^|,)\s*close\s*(,|$)/i.test(value)) close = true;
        break;
    }
  }
  if (contentLength < 0 || hosts !== 1) return null;
  return { contentLength, signature, close, forwardedFor };
}
