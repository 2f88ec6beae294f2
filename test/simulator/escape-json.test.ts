import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { escapeJson, escapeJsonText, serializeLikeMeta } from '../../src/simulator/escape-json.js';

describe('escapeJson serializes like Meta', () => {
  it('writes an emoji as its lowercase surrogate-pair escapes', () => {
    assert.equal(escapeJson({ emoji: '👍' }), '{"emoji":"\\ud83d\\udc4d"}');
  });

  it('writes accented letters as lowercase \\uXXXX', () => {
    assert.equal(escapeJson('Café à São Paulo'), '"Caf\\u00e9 \\u00e0 S\\u00e3o Paulo"');
  });

  it('writes / as \\/', () => {
    assert.equal(escapeJson({ url: 'https://a.b/c' }), '{"url":"https:\\/\\/a.b\\/c"}');
  });

  it('keeps backslashes and quotes as JSON escapes them', () => {
    assert.equal(escapeJsonText(JSON.stringify('a\\/"b')), '"a\\\\\\/\\"b"');
    assert.equal(JSON.parse(escapeJsonText(JSON.stringify('a\\/"b'))), 'a\\/"b');
  });

  it('produces pure ASCII that parses back to the same value, for any JSON', () => {
    fc.assert(
      fc.property(fc.json({ stringUnit: 'binary' }), (text) => {
        const value: unknown = JSON.parse(text);
        const escaped = escapeJson(value);
        // ASCII without control characters; DEL (0x7f) is ASCII and JSON does not escape it
        // (neither does PHP's json_encode), so it stays as is.
        assert.match(escaped, /^[\x20-\x7f]*$/);
        assert.deepEqual(JSON.parse(escaped), value);
      }),
      { numRuns: 300 },
    );
  });

  it('returns the escaped text as ASCII bytes', () => {
    const bytes = serializeLikeMeta({ t: 'ñ/😀' });
    assert.equal(bytes.toString('latin1'), '{"t":"\\u00f1\\/\\ud83d\\ude00"}');
    assert.ok(bytes.every((b) => b < 0x80));
  });

  it('refuses a value JSON cannot represent', () => {
    assert.throws(() => escapeJson(undefined), TypeError);
  });
});
