import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { signBody, verifySignature } from '../../src/core/verify-signature.js';

const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
const hmac = (b: Uint8Array | string, s: string) =>
  'sha256=' + createHmac('sha256', s).update(b).digest('hex');

describe('verifySignature', () => {
  test('accepts a valid sha256= signature and reports the matching secret', () => {
    assert.deepEqual(verifySignature(body, hmac(body, 'a'), ['a']), { ok: true, secretIndex: 0 });
  });
  test('accepts a signature made with the second configured secret (rotation, several apps)', () => {
    assert.deepEqual(verifySignature(body, hmac(body, 'new'), ['old', 'new']), { ok: true, secretIndex: 1 });
  });
  test('accepts uppercase hex digits', () => {
    assert.equal(
      verifySignature(body, hmac(body, 'a').toUpperCase().replace('SHA256=', 'sha256='), ['a']).ok,
      true,
    );
  });
  test('rejects a signature made with another secret', () => {
    assert.deepEqual(verifySignature(body, hmac(body, 'other'), ['a', 'b']), {
      ok: false,
      reason: 'mismatch',
    });
  });
  test('rejects a missing or empty header', () => {
    assert.deepEqual(verifySignature(body, undefined, ['a']), { ok: false, reason: 'missing' });
    assert.deepEqual(verifySignature(body, '', ['a']), { ok: false, reason: 'missing' });
  });
  test('rejects a wrong prefix (sha1=, no prefix) before computing anything', () => {
    const hex = hmac(body, 'a').slice(7);
    assert.deepEqual(verifySignature(body, `sha1=${hex}`, ['a']), { ok: false, reason: 'malformed' });
    assert.deepEqual(verifySignature(body, hex, ['a']), { ok: false, reason: 'malformed' });
  });
  test('rejects a digest of the wrong length or with non-hex characters', () => {
    const sig = hmac(body, 'a');
    assert.deepEqual(verifySignature(body, sig.slice(0, -2), ['a']), { ok: false, reason: 'malformed' });
    assert.deepEqual(verifySignature(body, sig + 'ab', ['a']), { ok: false, reason: 'malformed' });
    assert.deepEqual(verifySignature(body, sig.slice(0, -1) + 'z', ['a']), {
      ok: false,
      reason: 'malformed',
    });
  });
  test('a digest is malformed exactly when it is not 64 hex digits (either case), whatever the characters', () => {
    const alphabet = '0123456789abcdefABCDEFgGzZ xé\u0130\uff10-';
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let n = 0; n < 5000; n++) {
      const hex = Array.from({ length: 63 + (next() % 3) }, (_, i) =>
        // Mostly hex digits, so that a lone odd character lands anywhere in a digest of the right length.
        next() % 24 === 0 ? alphabet[next() % alphabet.length] : '0123456789abcdefABCDEF'[(next() + i) % 22],
      ).join('');
      const verdict = verifySignature(body, `sha256=${hex}`, ['a']);
      const isHex = /^[0-9a-fA-F]{64}$/.test(hex);
      assert.equal(verdict.ok === false && verdict.reason === 'malformed', !isHex, JSON.stringify(hex));
    }
  });
  test('each check stands alone: a digest decoded or computed by an earlier one is never compared', () => {
    const other = Buffer.from('{"object":"whatsapp_business_account","entry":[{}]}');
    const sig = hmac(body, 'a');
    assert.equal(verifySignature(body, sig, ['a']).ok, true);
    assert.deepEqual(verifySignature(other, sig, ['a']), { ok: false, reason: 'mismatch' });
    assert.equal(verifySignature(body, sig, ['a']).ok, true);
    assert.deepEqual(verifySignature(body, sig.slice(0, -1) + 'g', ['a']), {
      ok: false,
      reason: 'malformed',
    });
    assert.deepEqual(verifySignature(body, 'sha256=' + 'g'.repeat(64), ['a']), {
      ok: false,
      reason: 'malformed',
    });
    assert.deepEqual(verifySignature(other, hmac(other, 'b'), ['a', 'b']), { ok: true, secretIndex: 1 });
    assert.deepEqual(verifySignature(body, sig, ['b', 'a']), { ok: true, secretIndex: 1 });
  });
  test('refuses everything when no secret is configured', () => {
    assert.deepEqual(verifySignature(body, hmac(body, 'a'), []), { ok: false, reason: 'no-secret' });
  });
  test('a changed byte in the body breaks the signature', () => {
    const sig = hmac(body, 'a');
    const tampered = Buffer.from(body);
    tampered[5] = tampered[5]! ^ 1;
    assert.equal(verifySignature(tampered, sig, ['a']).ok, false);
  });

  describe('verifies over the raw bytes as Meta sent them (escaped unicode, byte for byte)', () => {
    const raw = Buffer.from(
      '{"text":{"body":"Caf\\u00e9 na\\u00efve \\ud83d\\ude00 https:\\/\\/example.com\\/a"},"name":"Jos\\u00e9"}',
    );
    test('bodies with emoji, accented letters and \\/ escapes verify over their raw bytes', () => {
      assert.deepEqual(verifySignature(raw, hmac(raw, 's'), ['s']), { ok: true, secretIndex: 0 });
    });
    test('a re-serialised body (JSON.stringify(JSON.parse(raw))) would not verify — the reason raw bytes are used', () => {
      const reserialised = Buffer.from(JSON.stringify(JSON.parse(raw.toString('utf8'))));
      assert.notDeepEqual(reserialised, raw);
      assert.equal(verifySignature(reserialised, hmac(raw, 's'), ['s']).ok, false);
    });
    test('literal UTF-8 bytes verify when that is what was signed', () => {
      const utf8 = Buffer.from('{"body":"Café 😀"}', 'utf8');
      assert.equal(verifySignature(utf8, hmac(utf8, 's'), ['s']).ok, true);
    });
  });

  test('signBody produces what verifySignature accepts', () => {
    assert.equal(verifySignature(body, signBody(body, 'k'), ['k']).ok, true);
  });
});
