/**
 * Standard Webhooks signing (https://www.standardwebhooks.com/): `webhook-id`,
 * `webhook-timestamp` (seconds) and `webhook-signature` holding `v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">` once per live secret, space-separated, so a receiver that knows either
 * secret during a rotation verifies. A secret (`whsec_<base64>`) is checked by the
 * `standardwebhooks` package, the same code a receiver verifies with, once; the HMAC itself is
 * node:crypto's, since the package's JavaScript SHA-256 cost more main-thread time per event than
 * the rest of the POST (test/unit/destinations/standard-webhook-headers.test.ts checks that both
 * give the same signature).
 */
import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

const PREFIX = 'whsec_';
/** Decoded keys of the secrets seen, by secret (a destination's one or two live secrets). */
const keys = new Map<string, Buffer>();
const KEEP = 1024;

function keyOf(secret: string, i: number): Buffer {
  let key = keys.get(secret);
  if (key !== undefined) return key;
  try {
    new Webhook(secret); // throws on a secret that is not base64 or empty
  } catch {
    // The message never holds the secret itself.
    throw new Error(`signing secret ${i + 1} is not a whsec_<base64> secret`);
  }
  key = Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
  if (keys.size >= KEEP) keys.clear();
  keys.set(secret, key);
  return key;
}

export function standardWebhookHeaders(
  id: string,
  nowMs: number,
  body: string,
  secrets: readonly string[],
): Record<string, string> {
  const seconds = Math.floor(nowMs / 1000);
  const signatures = secrets.map((secret, i) => {
    const mac = createHmac('sha256', keyOf(secret, i)).update(`${id}.${seconds}.`).update(body, 'utf8');
    return `v1,${mac.digest('base64')}`;
  });
  return {
    'webhook-id': id,
    'webhook-timestamp': String(seconds),
    'webhook-signature': signatures.join(' '),
  };
}
