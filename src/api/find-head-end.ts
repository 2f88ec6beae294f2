/** The head is not complete yet: read more bytes and look again. */
export const HEAD_INCOMPLETE = -1;
/** The head holds a byte the fast path does not take: node:http must judge it. */
export const HEAD_UNUSUAL = -2;

const CR = 13;
const LF = 10;

/**
 * Finds the end of a request head (the index of its final CR LF CR LF) in `buf`, looking from `from`
 * on, and checks every byte on the way: printable ASCII, tab, and CR only as part of CR LF. Anything
 * else — a bare LF, a bare CR, NUL or another control byte, DEL, a high-bit byte — is HEAD_UNUSUAL, so
 * such a request goes to node:http (whose llhttp answers 400) at once instead of waiting for a
 * CR LF CR LF that will never come. A header line smuggled behind a bare LF (`X-A: b\nTransfer-Encoding:
 * chunked`) can therefore never be read by the fast path as part of another header's value.
 *
 * Each check looks only backwards or at the bytes it needs ahead, so a caller that got
 * HEAD_INCOMPLETE may look again from `length - 3` once more bytes arrived (no rescanning).
 */
export function findHeadEnd(buf: Uint8Array, from: number): number {
  const n = buf.length;
  for (let i = from; i < n; i++) {
    const b = buf[i] as number;
    if ((b >= 0x20 && b < 0x7f) || b === 9) continue;
    if (b === LF) {
      if (i === 0 || buf[i - 1] !== CR) return HEAD_UNUSUAL;
      continue;
    }
    if (b !== CR) return HEAD_UNUSUAL;
    if (i + 1 >= n) return HEAD_INCOMPLETE;
    if (buf[i + 1] !== LF) return HEAD_UNUSUAL;
    if (i + 2 >= n) return HEAD_INCOMPLETE;
    if (buf[i + 2] !== CR) continue;
    if (i + 3 >= n) return HEAD_INCOMPLETE;
    if (buf[i + 3] !== LF) return HEAD_UNUSUAL;
    return i;
  }
  return HEAD_INCOMPLETE;
}
