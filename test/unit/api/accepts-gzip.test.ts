import { test } from 'node:test';
import assert from 'node:assert/strict';
import { acceptsGzip } from '../../../src/api/accepts-gzip.js';

test('the stream is gzip when Accept-Encoding allows it (RFC 9110 §12.5.3)', () => {
  const cases: [string | undefined, boolean][] = [
    ['gzip, deflate, br, zstd', true], // what browsers send
    ['GZIP', true],
    ['br;q=1.0, gzip;q=0.5', true],
    ['*', true],
    [undefined, false],
    ['', false],
    ['identity', false],
    ['deflate, br', false],
    ['gzip;q=0', false],
    ['gzip; q=0.000', false],
    ['*;q=0, gzip', true],
    ['gzip;q=0, *', false],
    ['x-gzip', false],
  ];
  for (const [header, gzip] of cases) assert.equal(acceptsGzip(header), gzip, String(header));
});
