/**
 * A thrown undici/fetch error as a GraphFailure: `unreachable` when no request left (refused, DNS,
 * connect timeout: Meta did not act), `timeout` when the answer did not come in time, `lost` when
 * the connection broke after the request left (Meta may have acted). The text names the cause,
 * never the token or the URL's query.
 */
import type { GraphFailure } from '../../ports/graph-api.js';

const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_INVALID_URL',
]);

export function graphFailure(err: unknown, timeoutMs: number, afterAnswer = false): GraphFailure {
  const e = err as { name?: unknown; code?: unknown; message?: unknown; cause?: { code?: unknown } };
  const code = typeof e.code === 'string' ? e.code : typeof e.cause?.code === 'string' ? e.cause.code : '';
  if (
    e.name === 'TimeoutError' ||
    e.name === 'AbortError' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT'
  )
    return { kind: 'timeout', timeoutMs };
  const message = `${typeof e.message === 'string' ? e.message : String(err)}${code === '' ? '' : ` (${code})`}`;
  if (!afterAnswer && NOT_SENT.has(code)) return { kind: 'unreachable', message };
  return { kind: 'lost', message };
}
