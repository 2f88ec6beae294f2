import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { standardWebhookHeaders } from '../../../src/adapters/destinations/standard-webhook-headers.js';
import { newSecret } from '../../helpers/outbound-message.js';

const body = JSON.stringify({ name: 'message.text', data: { text: 'héllo ✓ 👋' } });
const at = Date.UTC(2026, 0, 1, 12, 0, 0, 750);

test('the signature is the one the standardwebhooks package makes, for the same id, time and body', () => {
  const secret = newSecret();
  const h = standardWebhookHeaders('msg_abc', at, body, [secret]);
  assert.equal(h['webhook-id'], 'msg_abc');
  assert.equal(h['webhook-timestamp'], String(Math.floor(at / 1000)));
  assert.equal(h['webhook-signature'], new Webhook(secret).sign('msg_abc', new Date(at), body));
});

test('a receiver holding either secret of a rotation verifies', () => {
  const [previous, current] = [newSecret(), newSecret()];
  const now = Date.now();
  const h = standardWebhookHeaders('msg_rot', now, body, [current, previous]);
  assert.equal(h['webhook-signature']?.split(' ').length, 2);
  for (const secret of [previous, current])
    assert.deepEqual(new Webhook(secret).verify(body, h), JSON.parse(body));
  assert.throws(() => new Webhook(newSecret()).verify(body, h), /No matching signature/);
});

test('a secret that is not whsec_<base64> is refused, naming which one, never showing it', () => {
  for (const bad of ['whsec_', 'whsec_!!not-base64!!'])
    assert.throws(
      () => standardWebhookHeaders('msg_x', at, body, [newSecret(), bad]),
      (err: Error) =>
        /signing secret 2 is not a whsec_<base64> secret/.test(err.message) &&
        !err.message.includes('!!not-base64!!'),
    );
});
