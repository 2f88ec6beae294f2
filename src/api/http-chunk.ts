const CRLF = Buffer.from('\r\n');

/**
 * `bytes` framed as one HTTP/1.1 chunk (RFC 9112 §7.1: size in hex, CRLF, the bytes, CRLF), for a
 * chunked response written straight to its socket: the live stream frames a batch once and writes
 * that one Buffer to each client, where ServerResponse.write would frame it again per client in
 * four corked pieces (docs/benchmarks.md, "Live streams and ingest"). Never called with no bytes:
 * an empty chunk ends the body.
 */
export function httpChunk(bytes: Buffer): Buffer {
  const head = Buffer.from(`${bytes.length.toString(16)}\r\n`, 'latin1');
  return Buffer.concat([head, bytes, CRLF], head.length + bytes.length + 2);
}
