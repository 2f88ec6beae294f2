import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findHeadEnd, HEAD_INCOMPLETE, HEAD_UNUSUAL } from '../../src/api/find-head-end.js';

const bytes = (s: string) => Buffer.from(s, 'latin1');
const HEAD = 'POST /w HTTP/1.1\r\nHost: x\r\nContent-Length: 2';

describe('findHeadEnd (the bytes of a request head the fast path reads itself)', () => {
  test('finds the final CR LF CR LF of a plain head, the body after it untouched', () => {
    assert.equal(findHeadEnd(bytes(`${HEAD}\r\n\r\nab`), 0), HEAD.length);
  });
  test('a head not complete yet is incomplete, wherever it was cut', () => {
    const whole = `${HEAD}\r\n\r\n`;
    for (let cut = 0; cut < whole.length; cut++)
      assert.equal(findHeadEnd(bytes(whole.slice(0, cut)), 0), HEAD_INCOMPLETE, `cut at ${cut}`);
  });
  test('looking again from three bytes before the old end finds the same end as a full scan', () => {
    const whole = bytes(`${HEAD}\r\n\r\n`);
    for (let cut = 1; cut < whole.length; cut++) {
      assert.equal(findHeadEnd(whole.subarray(0, cut), 0), HEAD_INCOMPLETE);
      assert.equal(findHeadEnd(whole, Math.max(0, cut - 3)), HEAD.length, `resumed after ${cut}`);
    }
  });
  const unusual: Array<[string, string]> = [
    ['a bare LF ending a line', 'POST /w HTTP/1.1\nHost: x\r\n\r\n'],
    [
      'a bare LF inside a header (the smuggling case)',
      'POST /w HTTP/1.1\r\nX-A: b\nTransfer-Encoding: chunked\r\n\r\n',
    ],
    ['a head ending in LF LF', 'POST /w HTTP/1.1\r\nHost: x\n\n'],
    ['a bare CR', 'POST /w HTTP/1.1\r\nHost: x\rY: 1\r\n\r\n'],
    ['CR LF CR followed by something other than LF', 'POST /w HTTP/1.1\r\nHost: x\r\n\rX'],
    ['NUL', 'POST /w HTTP/1.1\r\nX-A: a\0b\r\n\r\n'],
    ['another control byte', 'POST /w\x01 HTTP/1.1\r\n\r\n'],
    ['DEL', 'POST /w HTTP/1.1\r\nX-A: \x7f\r\n\r\n'],
    ['a high-bit byte', 'POST /w\xe9 HTTP/1.1\r\n\r\n'],
  ];
  for (const [what, head] of unusual)
    test(`${what} is unusual at once, with no need to wait for more bytes`, () => {
      assert.equal(findHeadEnd(bytes(head), 0), HEAD_UNUSUAL);
    });
  test('a tab in a header value is ordinary', () => {
    const h = 'POST /w HTTP/1.1\r\nX-A: a\tb';
    assert.equal(findHeadEnd(bytes(`${h}\r\n\r\n`), 0), h.length);
  });
});
