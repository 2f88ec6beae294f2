/**
 * Standard Webhooks signing (https://www.standardwebhooks.com/): `webhook-id`,
 * `webhook-timestamp` (seconds) and `webhook-signature` holding `v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">` once per live secret, space-separated, so a receiver that knows either
 * secret during a rotation verifies. Signed with the `standardwebhooks` package (secrets are
 * `whsec_<base64>`), the same code a receiver verifies with.
 */
import { Webhook } from 'standardwebhooks';

export function standardWebhookHeaders(
  id: string,
  nowMs: number,
  body: string,
  secrets: readonly string[],
): Record<string, string> {
  const at = new Date(nowMs);
  const signatures = secrets.map((secret, i) => {
    try {
      return new Webhook(secret).sign(id, at, body);
    } catch {
      // The message never holds the secret itself.
      throw new Error(`signing secret ${i + 1} is not a whsec_<base64> secret`);
    }
  });
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(nowMs / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}
