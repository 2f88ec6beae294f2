import { isWebhookPath } from './is-webhook-path.js';

/** What the fast path needs from a request head; anything else is handed to node:http. */
export interface FastHead {
  readonly contentLength: number;
  readonly signature: string | undefined;
  /** The client asked to close the connection after this request. */
  readonly close: boolean;
}

/**
 * Parses the head (request line + headers, without the final CRLF CRLF) of a webhook POST.
 * Returns null for anything that is not the plain common case — another method or path, HTTP/1.0,
 * chunked or duplicated framing headers, `Expect`, folded or malformed lines — so that node:http,
 * with its complete and hardened parser, answers those instead (no request smuggling through the
 * fast path: a request with both Content-Length and Transfer-Encoding is never handled here).
 */
export function parseRequestHead(head: string, webhookPath: string): FastHead | null {
  const lineEnd = head.indexOf('\r\n');
  const requestLine = lineEnd < 0 ? head : head.slice(0, lineEnd);
  if (!requestLine.startsWith('POST ') || !requestLine.endsWith(' HTTP/1.1')) return null;
  const target = requestLine.slice(5, -9);
  const q = target.indexOf('?');
  if (!isWebhookPath(q < 0 ? target : target.slice(0, q), webhookPath)) return null;
  let contentLength = -1;
  let signature: string | undefined;
  let close = false;
  let pos = lineEnd < 0 ? head.length : lineEnd + 2;
  while (pos < head.length) {
    let end = head.indexOf('\r\n', pos);
    if (end < 0) end = head.length;
    const line = head.slice(pos, end);
    pos = end + 2;
    const colon = line.indexOf(':');
    if (colon <= 0 || line.charCodeAt(0) === 32 || line.charCodeAt(0) === 9) return null;
    const name = line.slice(0, colon);
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return null;
    const value = line.slice(colon + 1).trim();
    switch (name.toLowerCase()) {
      case 'content-length':
        if (contentLength >= 0 || !/^\d{1,15}$/.test(value)) return null;
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
      case 'connection':
        if (/(^|,)\s*close\s*(,|$)/i.test(value)) close = true;
        break;
    }
  }
  if (contentLength < 0) return null;
  return { contentLength, signature, close };
}
