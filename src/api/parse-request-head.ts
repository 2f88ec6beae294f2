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
const DIGITS = /^\d{1,15}$/;
/** The characters of an RFC 9110 token (a header name), by character code. */
const TOKEN_CHARS = new Uint8Array(128);
for (const c of "!#$%&'*+.^_`|~-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
  TOKEN_CHARS[c.charCodeAt(0)] = 1;
/** The header names the fast path reads (each a case of parseRequestHead's switch). */
const NAMES_READ = [
  'host',
  'expect',
  'upgrade',
  'connection',
  'content-length',
  'x-forwarded-for',
  'transfer-encoding',
  'x-hub-signature-256',
] as const;
/**
 * Their lengths: any other header is checked to be a token and passed over without lowercasing its
 * name or trimming its value.
 */
const NAME_LENGTHS_READ = new Set(NAMES_READ.map((n) => n.length));

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
    const colon = tokenEnd(head, pos, end);
    if (colon < 0) return null;
    const nameLength = colon - pos;
    const start = pos;
    pos = end + 2;
    if (!NAME_LENGTHS_READ.has(nameLength)) continue;
    const value = head.slice(colon + 1, end).trim();
    // Typed as the names read, so that a case the list lacks does not compile (other names of
    // those lengths match no case).
    switch (head.slice(start, colon).toLowerCase() as (typeof NAMES_READ)[number]) {
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

/**
 * The index of the colon that ends the header name starting at `from` (a line ending at `end`), or
 * -1 when the line has no colon, an empty name, or a name character that is not a token's (what
 * `/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/` refuses): character codes looked up in a table, where a
 * regular expression run on a substring per header line cost most of the head's parse.
 */
function tokenEnd(head: string, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    const c = head.charCodeAt(i);
    if (c === 58) return i > from ? i : -1; // ':'
    if (c >= 128 || TOKEN_CHARS[c] === 0) return -1;
  }
  return -1;
}
