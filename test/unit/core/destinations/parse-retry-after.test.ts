import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRetryAfter } from '../../../../src/core/destinations/parse-retry-after.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('parseRetryAfter', () => {
  test('reads delay-seconds', () => {
    assert.equal(parseRetryAfter('120', NOW), 120_000);
    assert.equal(parseRetryAfter(' 0 ', NOW), 0);
  });
  test('reads an HTTP-date as the time left from now', () => {
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 12:01:30 GMT', NOW), 90_000);
  });
  test('an HTTP-date in the past means no wait', () => {
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 11:00:00 GMT', NOW), 0);
  });
  test('absent, negative, fractional or unreadable values are ignored', () => {
    for (const v of [undefined, null, '', '-5', '1.5', 'soon', 'Thu, 99 Foo 2026 GMT'])
      assert.equal(parseRetryAfter(v, NOW), undefined, String(v));
  });
});
