import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDelivery } from '../../../src/core/parse-delivery.js';

describe('parseDelivery', () => {
  test('accepts bytes and strings and returns the envelope with every entry', () => {
    const body = '{"object":"whatsapp_business_account","entry":[{"id":"1"},{"id":"2"}]}';
    for (const input of [body, new TextEncoder().encode(body), Buffer.from(body)]) {
      const r = parseDelivery(input);
      assert.ok(r.ok);
      assert.equal(r.envelope.object, 'whatsapp_business_account');
      assert.equal(r.envelope.entry.length, 2);
    }
  });

  test('reads a Uint8Array that is a view into a larger buffer', () => {
    const body = Buffer.from('xx{"entry":[]}yy');
    const r = parseDelivery(new Uint8Array(body.buffer, body.byteOffset + 2, body.length - 4));
    assert.ok(r.ok);
  });

  test('decodes escaped unicode and raw UTF-8 alike', () => {
    const r = parseDelivery(Buffer.from('{"entry":[{"id":"caf\\u00e9 ☕"}]}', 'utf8'));
    assert.ok(r.ok);
    assert.deepEqual(r.envelope.entry, [{ id: 'café ☕' }]);
  });

  test('ignores a UTF-8 byte order mark before the JSON, as RFC 8259 §8.1 allows', () => {
    const body = '{"object":"whatsapp_business_account","entry":[{"id":"1"}]}';
    for (const input of [
      '\ufeff' + body,
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]),
    ]) {
      const r = parseDelivery(input);
      assert.ok(r.ok, JSON.stringify(r));
      assert.deepEqual(r.envelope.entry, [{ id: '1' }]);
    }
  });

  const invalid: [string, string | Uint8Array, string][] = [
    ['an empty body', '', 'EMPTY'],
    ['whitespace only', '  \n', 'EMPTY'],
    ['text that is not JSON', 'hello', 'NOT_JSON'],
    ['truncated JSON', '{"entry":[', 'NOT_JSON'],
    ['a JSON array', '[1,2]', 'NOT_OBJECT'],
    ['a JSON string', '"x"', 'NOT_OBJECT'],
    ['null', 'null', 'NOT_OBJECT'],
    ['an object without entry', '{"object":"whatsapp_business_account"}', 'NO_ENTRY'],
    ['an entry that is not an array', '{"entry":{}}', 'NO_ENTRY'],
  ];
  for (const [what, input, code] of invalid) {
    test(`reports ${what} as an invalid delivery (${code}) without throwing`, () => {
      const r = parseDelivery(input);
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.equal(r.error.code, code);
        assert.equal(typeof r.error.message, 'string');
      }
    });
  }

  test('keeps an unexpected object value verbatim instead of rejecting it', () => {
    const r = parseDelivery('{"object":"page","entry":[]}');
    assert.ok(r.ok && r.envelope.object === 'page');
  });
});
