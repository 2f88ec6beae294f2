import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { verifySubscription } from '../../src/core/verify-subscription.js';

const q = (s: string) => new URLSearchParams(s);

describe('verifySubscription (GET handshake, reference §1.2)', () => {
  test('echoes the challenge when mode is subscribe and the token matches', () => {
    assert.deepEqual(
      verifySubscription(q('hub.mode=subscribe&hub.verify_token=tok&hub.challenge=1158201444'), 'tok'),
      {
        ok: true,
        challenge: '1158201444',
      },
    );
  });
  test('treats the challenge as an opaque string', () => {
    const r = verifySubscription(
      q('hub.mode=subscribe&hub.verify_token=tok&hub.challenge=abc%20DEF-1'),
      'tok',
    );
    assert.deepEqual(r, { ok: true, challenge: 'abc DEF-1' });
  });
  test('refuses a wrong token', () => {
    assert.deepEqual(
      verifySubscription(q('hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1'), 'tok'),
      {
        ok: false,
        reason: 'wrong-token',
      },
    );
  });
  test('refuses a token that is only a prefix of the right one', () => {
    assert.equal(
      verifySubscription(q('hub.mode=subscribe&hub.verify_token=to&hub.challenge=1'), 'tok').ok,
      false,
    );
  });
  test('refuses a mode other than subscribe', () => {
    assert.deepEqual(
      verifySubscription(q('hub.mode=unsubscribe&hub.verify_token=tok&hub.challenge=1'), 'tok'),
      {
        ok: false,
        reason: 'wrong-mode',
      },
    );
  });
  test('refuses when a parameter is missing', () => {
    for (const s of [
      'hub.verify_token=tok&hub.challenge=1',
      'hub.mode=subscribe&hub.challenge=1',
      'hub.mode=subscribe&hub.verify_token=tok',
    ])
      assert.deepEqual(verifySubscription(q(s), 'tok'), { ok: false, reason: 'missing-parameters' });
  });
  test('refuses everything when no verify token is configured', () => {
    assert.deepEqual(
      verifySubscription(q('hub.mode=subscribe&hub.verify_token=&hub.challenge=1'), undefined),
      {
        ok: false,
        reason: 'no-token-configured',
      },
    );
  });
});
