/** The path and the query string (without `?`) of a request target. */
export interface RequestTarget {
  readonly pathname: string;
  readonly search: string;
}

const ABSOLUTE_FORM = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

/**
 * Splits `req.url`. A server must accept the absolute form (`POST http://host/path`,
 * RFC 9112 §3.2.2), which some proxies and clients send: its scheme and authority are dropped so it routes
 * like the origin form.
 */
export function requestTarget(url: string): RequestTarget {
  let target = url;
  if (target.charCodeAt(0) !== 47) {
    const m = ABSOLUTE_FORM.exec(target);
    if (m) {
      target = target.slice(m[0].length);
      if (target.charCodeAt(0) !== 47) target = '/' + target;
    }
  }
  const q = target.indexOf('?');
  return q < 0
    ? { pathname: target, search: '' }
    : { pathname: target.slice(0, q), search: target.slice(q + 1) };
}
