import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMeta, metaEnvelope } from '../../../../src/core/destinations/meta-envelope.js';
import { verifySignature } from '../../../../src/core/verify-signature.js';
import { parseDelivery } from '../../../../src/core/parse-delivery.js';
import { normalizeDelivery } from '../../../../src/core/normalize-delivery.js';
import { eventsOf } from '../../../helpers/fixtures.js';

const back = (body: string) => {
  const p = parseDelivery(body);
  assert.ok(p.ok);
  return normalizeDelivery(p.envelope);
};

describe('format meta (design §7.2)', () => {
  for (const fixture of [
    'messages/text.json',
    'messages/image.json',
    'messages/status-failed.json',
    'messages/status-bsuid-only.json',
    'messages/batch-mixed.json',
    'message_template_status_update/paused.json',
    'phone_number_quality_update/throughput-upgrade.json',
    'smb_message_echoes/text.json',
    'calls/connect.json',
  ])
    test(`${fixture}: each event's envelope holds only its item and normalizes back into the same event`, () => {
      for (const e of eventsOf(fixture)) {
        const env = metaEnvelope(e) as { object: string; entry: Array<{ changes: unknown[] }> };
        assert.equal(env.object, 'whatsapp_business_account');
        assert.equal(env.entry.length, 1);
        assert.equal(env.entry[0]?.changes.length, 1);
        assert.deepEqual(back(JSON.stringify(env)), [e]);
      }
    });

  test('X-Hub-Signature-256 is the HMAC of the exact body with the destination secret', () => {
    const [e] = eventsOf('messages/text.json');
    const { body, headers } = formatMeta(e as never, 'whsec_abc');
    const sig = headers['x-hub-signature-256'];
    assert.deepEqual(verifySignature(Buffer.from(body), sig, ['whsec_abc']), { ok: true, secretIndex: 0 });
    assert.equal(verifySignature(Buffer.from(body), sig, ['other']).ok, false);
  });
});
